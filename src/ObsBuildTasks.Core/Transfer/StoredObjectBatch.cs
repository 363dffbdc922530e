using System.Text;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Confirms the one-request files of a call a batch at a time with one object listing (<c>ListObjects</c>) instead of
/// a <c>HEAD</c> each: for many small files that halves the requests, their round trips and the store's work. The
/// listing can only confirm: an object it shows with exactly the file's key, size and ETag is stored; any file it does
/// not confirm that way (not listed yet, listed otherwise, a listing refused, failed or malformed) is asked for with
/// <see cref="StoredObjectCheck"/> as before, which decides. A batch of one file gets its HEAD (as cheap, and no
/// permission to list needed); credentials that may not list (no <c>ListBucket</c>) cost one refused listing per call.
/// </summary>
/// <remarks>
/// A batch is listed once it holds <see cref="BatchSize"/> files, or as soon as every file of the call in progress is
/// waiting in it, so no file waits for one that is not coming. <c>TaskNum</c> files are at work at a time, as without
/// the batch; a file waiting in a batch is not at work, so that another file starts and the requests never idle
/// meanwhile (<see cref="StartFileAsync"/>, <see cref="FilesAtATime"/>).
/// </remarks>
internal sealed class StoredObjectBatch(int taskNum, CancellationToken cancellationToken) : IDisposable
{
    /// <summary>Pages of one listing at most: a batch's keys among many others under the same prefix are asked for one
    /// by one instead.</summary>
    private const int MaxPages = 2;

    private readonly Lock _gate = new();

    /// <summary>Files at work: <c>TaskNum</c>, not counting those waiting in a batch.</summary>
    private readonly SemaphoreSlim _atWork = new(taskNum, taskNum);

    /// <summary>One listing at a time, so that credentials that may not list are refused once.</summary>
    private readonly SemaphoreSlim _listing = new(1, 1);
    private List<PendingCheck> _pending = [];
    private int _inProgress;
    private volatile bool _listingRefused;

    /// <summary>Files per listing: four per file at work, at most 64. Each listing costs the service a request, and a
    /// listing of 64 objects little more than one of 8 (500 small files at <c>TaskNum</c> 8 to the local store, 8 rounds:
    /// 5.39 s with 8 files per listing, 5.01 s with 16, 4.96 s with 32, 4.91 s with 64; 100 was no faster).</summary>
    private int BatchSize { get; } = Math.Min(4 * taskNum, 64);

    /// <summary>Files of the call in progress at most: <c>TaskNum</c> at work and a batch's waiting.</summary>
    public int FilesAtATime => taskNum + BatchSize;

    /// <summary>Starts a file of the call once fewer than <c>TaskNum</c> are at work; end its turn when the file has
    /// ended.</summary>
    public async Task<FileTurn> StartFileAsync()
    {
        await _atWork.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _inProgress++;
        }

        return new FileTurn(this);
    }

    public void Dispose()
    {
        _listing.Dispose();
        _atWork.Dispose();
    }

    private Task EndAsync(FileTurn turn) => ListIfDueAfter(() =>
    {
        turn.StopWork();
        _inProgress--;
    });

    private async Task<bool> ConfirmAsync(FileTurn turn, UploadContext context, string etag)
    {
        if (_listingRefused)
        {
            return false;
        }

        var check = new PendingCheck(context, etag);
        await ListIfDueAfter(() =>
        {
            _pending.Add(check);
            turn.StopWork();
        }).ConfigureAwait(false);
        return await check.Confirmed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies <paramref name="change"/> to the batch's state, then lists the pending batch if it is full or
    /// every file in progress waits in it.</summary>
    private Task ListIfDueAfter(Action change)
    {
        List<PendingCheck> due;
        lock (_gate)
        {
            change();
            if (_pending.Count == 0 || (_pending.Count < BatchSize && _pending.Count < _inProgress))
            {
                return Task.CompletedTask;
            }

            (due, _pending) = (_pending, []);
        }

        return ListBatchAsync(due);
    }

    private async Task ListBatchAsync(List<PendingCheck> batch)
    {
        try
        {
            foreach (var group in batch.GroupBy(check => check.Context.Bucket.BucketName, StringComparer.Ordinal))
            {
                await ListInBucketAsync(group.ToList()).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var check in batch)
            {
                check.Confirmed.TrySetResult(false);
            }
        }
    }

    private async Task ListInBucketAsync(List<PendingCheck> checks)
    {
        if (checks.Count < 2)
        {
            // A HEAD confirms one file as cheaply, and needs no permission to list.
            return;
        }

        await _listing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_listingRefused)
            {
                await ListAsync(checks).ConfigureAwait(false);
            }
        }
        finally
        {
            _listing.Release();
        }
    }

    private async Task ListAsync(List<PendingCheck> checks)
    {
        var waiting = checks.GroupBy(check => check.Context.Key, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.ToList(), StringComparer.Ordinal);
        var keys = waiting.Keys.Order(Utf8Order.Instance).ToList();
        var (first, last) = (keys[0], keys[^1]);
        var prefix = Utf8Order.CommonPrefix(keys);
        var marker = Utf8Order.JustBefore(first);
        var context = checks[0].Context;
        try
        {
            for (var pages = 0; pages < MaxPages && waiting.Count > 0; pages++)
            {
                var page = await context.InSlotAsync(() => context.Bucket.ListObjectsAsync(prefix, marker, cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var listed in page.Objects)
                {
                    Confirm(waiting, listed);
                }

                var next = page.NextMarker ?? (page.Objects.Count > 0 ? page.Objects[^1].Key : null);
                if (!page.IsTruncated || next is null || Utf8Order.Instance.Compare(next, last) >= 0
                    || (marker is not null && Utf8Order.Instance.Compare(next, marker) <= 0))
                {
                    return;
                }

                marker = next;
            }
        }
        catch (ObsException exception) when (exception.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            _listingRefused = true;
        }
        catch (ObsException)
        {
            // Not confirmed: each file's own HEAD decides.
        }
    }

    private static void Confirm(Dictionary<string, List<PendingCheck>> waiting, ListedObject listed)
    {
        if (!waiting.TryGetValue(listed.Key, out var checks))
        {
            return;
        }

        foreach (var check in checks.Where(check => check.Matches(listed)))
        {
            check.Confirmed.TrySetResult(true);
        }

        checks.RemoveAll(check => check.Confirmed.Task.IsCompleted);
        if (checks.Count == 0)
        {
            waiting.Remove(listed.Key);
        }
    }

    /// <summary>One file's part in the batch, from its start to its end.</summary>
    public sealed class FileTurn
    {
        private readonly StoredObjectBatch _batch;
        private int _atWork = 1;

        internal FileTurn(StoredObjectBatch batch) => _batch = batch;

        /// <summary>Whether a listing showed the object <paramref name="context"/> stored with the file's size and
        /// <paramref name="etag"/>; <see langword="false"/> means "not confirmed this way", never "not stored". While
        /// it waits, the file is not at work.</summary>
        public Task<bool> ConfirmAsync(UploadContext context, string etag) => _batch.ConfirmAsync(this, context, etag);

        /// <summary>The file has ended: a batch whose other files all wait is listed now.</summary>
        public Task EndAsync() => _batch.EndAsync(this);

        internal void StopWork()
        {
            if (Interlocked.Exchange(ref _atWork, 0) == 1)
            {
                _batch._atWork.Release();
            }
        }
    }

    private sealed record PendingCheck(UploadContext Context, string ETag)
    {
        public TaskCompletionSource<bool> Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Matches(ListedObject listed) =>
            listed.Size == Context.Plan.FileSize && string.Equals(listed.ETag, ETag, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The order services list keys in: by their UTF-8 bytes (which differs from .NET's ordinal order of
    /// UTF-16 code units for characters beyond U+FFFF).</summary>
    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));

        /// <summary>The longest prefix all <paramref name="keys"/> share, never ending inside a surrogate pair.</summary>
        public static string CommonPrefix(List<string> keys)
        {
            var length = keys.Min(key => key.AsSpan().CommonPrefixLength(keys[0]));
            return keys[0][..(length > 0 && char.IsHighSurrogate(keys[0][length - 1]) ? length - 1 : length)];
        }

        /// <summary>A marker the listing starts right after, so that <paramref name="key"/> is its first candidate: the
        /// key without its last character (a proper prefix sorts before it); <see langword="null"/> for a
        /// one-character key.</summary>
        public static string? JustBefore(string key)
        {
            var cut = key.Length >= 2 && char.IsLowSurrogate(key[^1]) && char.IsHighSurrogate(key[^2]) ? 2 : 1;
            return key.Length > cut ? key[..^cut] : null;
        }
    }
}
