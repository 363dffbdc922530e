using ObsBuildTasks.Hashing;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>Everything one file's upload works with; shared by the single-request and multipart paths.</summary>
internal sealed class UploadContext
{
    private byte[]? _wholeFileMd5;

    public required BucketClient Bucket { get; init; }

    public required UploadFileRequest Request { get; init; }

    public required RequestSlots Slots { get; init; }

    public required LocalFile File { get; init; }

    public required PartPlan Plan { get; init; }

    /// <summary>The object headers fixed at Initiate (or the single PUT), in the bucket's dialect.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required ProgressReporter Progress { get; init; }

    public required EventPublisher Events { get; init; }

    /// <summary>The MD5 of the whole file when it was hashed ahead with other files of the call and
    /// <see cref="File"/> is the version that was hashed (<see cref="FileDigestsAhead"/>); <see langword="null"/>
    /// otherwise.</summary>
    public Func<LocalFile, Task<byte[]?>>? DigestAhead { get; init; }

    /// <summary>This file's turn in the batch where the one-request files of a call of several files are confirmed
    /// stored together; <see langword="null"/> for a call of one file.</summary>
    public StoredObjectBatch.FileTurn? StoredObjects { get; init; }

    public string Key => Request.ObjectKey;

    /// <summary>The MD5 of a file that goes in one request: the one hashed ahead, or hashed now; once per upload, so
    /// <c>SkipUnchanged</c>'s comparison and the <c>PUT</c> after it share it.</summary>
    public async Task<byte[]> WholeFileMd5Async(CancellationToken cancellationToken) =>
        _wholeFileMd5 ??= (DigestAhead is null ? null : await DigestAhead(File).ConfigureAwait(false))
            ?? LaneHasher.Md5(File, Plan.Range(1), cancellationToken);

    /// <summary>The file for messages: its name and where it goes.</summary>
    public string Describe => $"'{Request.UploadFile}' -> {Request.BucketName}/{Key}";

    /// <summary>SHA-256 of the headers and the part size: what must not change between a run and its resume.</summary>
    public string Fingerprint => ObjectHeaders.Fingerprint(Headers, Plan.PartSize);

    public void Warn(UploadWarning warning, string message) => Events.Publish(new UploadWarningEvent(Request, warning, message));

    /// <summary>Reports the retries of one operation (of one part) as events.</summary>
    public RetryListener RetriesOf(int? partNumber = null) => (cause, attempt, delay) =>
        Events.Publish(new RequestRetriedEvent(Request, cause.Operation, partNumber, cause, attempt, delay));

    /// <summary>Runs one request of this file once a slot of the call is free.</summary>
    public Task<T> InSlotAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken) => Slots.RunAsync(request, cancellationToken);

    public CompleteMultipartUploadResult Result(string etag, WireResponse? response, int partsUploaded = 0, int partsReused = 0,
        bool resumed = false, bool skipped = false) => new()
        {
            BucketName = Request.BucketName,
            ObjectKey = Key,
            UploadFile = File.Path,
            ETag = etag,
            VersionId = response?.VersionId,
            RequestId = response?.RequestId,
            Location = Bucket.Endpoint.ObjectUri(Request.BucketName, Key),
            Size = Plan.FileSize,
            PartCount = Plan.PartCount,
            PartsUploaded = partsUploaded,
            PartsReused = partsReused,
            BytesSent = Progress.BytesSent,
            Resumed = resumed,
            Skipped = skipped,
        };
}
