using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>Aborts multipart uploads this client is done with, so that no parts stay billed: the upload of a failed run
/// without checkpoint, the stale upload a checkpoint pointed to, the duplicates a lost Initiate answer left. An upload
/// known only by a guess (a checkpoint that no longer names it) is named to the user instead, never aborted: it may be
/// another run's, in progress.</summary>
internal static class StaleUploads
{
    /// <summary>How long aborting may take once the caller has cancelled (it runs on its own, bounded token).</summary>
    private static readonly TimeSpan AbortLimit = TimeSpan.FromSeconds(60);

    /// <summary>Aborts <paramref name="uploadId"/> of this file's key; a failure is reported as a warning, never thrown.
    /// Returns whether the upload is gone (aborted now, or already).</summary>
    public static Task<bool> AbortAsync(UploadContext context, string uploadId) => AbortAsync(context, context.Key, uploadId);

    /// <summary>Aborts <paramref name="uploadId"/> of <paramref name="key"/> in this file's bucket; a failure is reported
    /// as a warning, never thrown. Returns whether the upload is gone (aborted now, or already).</summary>
    public static async Task<bool> AbortAsync(UploadContext context, string key, string uploadId)
    {
        using var limit = new CancellationTokenSource(AbortLimit);
        try
        {
            await context.Bucket.AbortMultipartUploadAsync(key, uploadId, limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is ObsException or OperationCanceledException)
        {
            context.Warn(UploadWarning.AbortFailed,
                $"Could not abort the multipart upload {uploadId} of {context.Describe}; its parts stay billed until it is aborted (ObsClient.AbortMultipartUploadAsync, or the bucket's lifecycle rule for unfinished uploads): {exception.Message}");
            return false;
        }
    }

    /// <summary>Aborts the unfinished uploads of this key that <paramref name="isStale"/> picks, given each upload and
    /// the server's time when they were listed. Returns how many were aborted; failures are warnings.</summary>
    public static async Task<int> AbortWhereAsync(UploadContext context, Func<MultipartUploadInfo, DateTimeOffset, bool> isStale)
    {
        List<MultipartUploadInfo> stale;
        try
        {
            var (uploads, serverNow) = await KeyUploadsAsync(context, null).ConfigureAwait(false);
            stale = [.. uploads.Where(upload => isStale(upload, serverNow))];
        }
        catch (Exception exception) when (exception is ObsException or OperationCanceledException)
        {
            context.Warn(UploadWarning.AbortFailed,
                $"Could not list the unfinished uploads of {context.Describe} to abort those left behind; they stay billed until aborted: {exception.Message}");
            return 0;
        }

        foreach (var upload in stale)
        {
            await AbortAsync(context, upload.UploadId).ConfigureAwait(false);
        }

        return stale.Count;
    }

    /// <summary>The most uploads <see cref="NameUnrecordedAsync"/> names one by one.</summary>
    private const int MostNamed = 5;

    /// <summary>
    /// A sentence naming this key's unfinished uploads started no later than <paramref name="startedBy"/>: the ones a
    /// checkpoint that can no longer name its upload may have recorded. They are not aborted, since another run may be
    /// uploading this key right now; the sentence says how to end them. Empty when there are none.
    /// </summary>
    /// <param name="context">The upload whose key is listed.</param>
    /// <param name="startedBy">The latest start, in the server's time, of an upload the checkpoint may have recorded.</param>
    /// <param name="listing">The key's uploads when they were just listed; otherwise they are listed here.</param>
    public static async Task<string> NameUnrecordedAsync(UploadContext context, DateTimeOffset startedBy, UploadListing? listing = null)
    {
        IReadOnlyList<MultipartUploadInfo> uploads;
        try
        {
            (uploads, _) = await KeyUploadsAsync(context, listing).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ObsException or OperationCanceledException)
        {
            return $" The key's unfinished uploads could not be listed ({exception.Message}); one the checkpoint recorded may stay billed until it is aborted.";
        }

        var candidates = uploads.Where(upload => upload.Initiated <= startedBy).ToList();
        if (candidates.Count == 0)
        {
            return "";
        }

        var named = string.Join(", ", candidates.Take(MostNamed).Select(upload =>
            $"{SafeText.Printable(upload.UploadId)} (started {upload.Initiated.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)"));
        var more = candidates.Count > MostNamed ? $" and {candidates.Count - MostNamed} more" : "";
        return $" It may have recorded one of the {candidates.Count} unfinished upload(s) of the key started before it was last written: {named}{more}. None is aborted, since another run may be uploading this key now; once none is, abort them (ObsClient.AbortMultipartUploadAsync, or the console) or let the bucket's lifecycle rule for unfinished uploads remove them, so that their parts stop being billed.";
    }

    /// <summary>The unfinished uploads of exactly this key (the listing is by prefix), from <paramref name="listing"/> or
    /// listed now within <see cref="AbortLimit"/>, and the server's time when they were listed.</summary>
    private static async Task<(IReadOnlyList<MultipartUploadInfo> Uploads, DateTimeOffset ServerNow)> KeyUploadsAsync(UploadContext context,
        UploadListing? listing)
    {
        if (listing is null)
        {
            using var limit = new CancellationTokenSource(AbortLimit);
            listing = await context.Bucket.ListMultipartUploadsAsync(context.Key, limit.Token).ConfigureAwait(false);
        }

        return ([.. listing.Uploads.Where(upload => upload.ObjectKey == context.Key)], listing.ServerDate ?? context.Bucket.ServerNow);
    }
}
