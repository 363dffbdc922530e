using System.Collections.Concurrent;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Uploads one file in parts: resumes from the checkpoint when one matches, sends the missing parts concurrently,
/// completes, and verifies the object's ETag. On failure the checkpoint is kept (so the next call resumes) or, without
/// checkpointing, the multipart upload is aborted so no parts are left behind.
/// </summary>
internal sealed class MultipartUpload
{
    private readonly UploadContext _context;
    private readonly CheckpointFile? _checkpoint;
    private readonly ConcurrentDictionary<int, string> _done = new();
    private string? _uploadId;
    private bool _completeRequested;

    private MultipartUpload(UploadContext context, CheckpointFile? checkpoint)
    {
        _context = context;
        _checkpoint = checkpoint;
    }

    public static async Task<CompleteMultipartUploadResult> RunAsync(UploadContext context, CheckpointFile? checkpoint,
        CancellationToken cancellationToken)
    {
        var upload = new MultipartUpload(context, checkpoint);
        try
        {
            return await upload.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await upload.LeaveAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Aborts the upload a checkpoint points to and deletes the checkpoint (the file no longer needs parts).</summary>
    public static async Task DiscardAsync(UploadContext context, CheckpointFile checkpoint)
    {
        var upload = new MultipartUpload(context, checkpoint);
        var uploadId = checkpoint.Read() switch
        {
            CheckpointReadResult.Found { Document: var document } when upload.IsSameObject(document) => document.UploadId,
            CheckpointReadResult.Unusable unusable => unusable.SalvagedUploadId,
            _ => null,
        };
        if (uploadId is null)
        {
            checkpoint.Delete();
            return;
        }

        await upload.AbortStaleAsync(uploadId).ConfigureAwait(false);
    }

    private ObsWireClient Wire => _context.Wire;

    private async Task<CompleteMultipartUploadResult> RunAsync(CancellationToken cancellationToken)
    {
        var document = _checkpoint is null ? null : await ReadMatchingCheckpointAsync().ConfigureAwait(false);
        if (document is { CompleteRequested: true } && await FindCompletedObjectAsync(
                await RecordedOrLocalMd5sAsync(document, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) is { } finished)
        {
            // Complete succeeded in an earlier run whose answer (or checkpoint clean-up) was lost.
            _context.Write(ObsLogLevel.Info, $"{_context.Describe} was completed by an earlier run; nothing to send.");
            _checkpoint!.Delete();
            return _context.Result(finished, null, partsReused: _context.Plan.PartCount, resumed: true);
        }

        var resumed = document is not null && await ReconcileAsync(document, cancellationToken).ConfigureAwait(false);
        if (!resumed)
        {
            await InitiateAsync(cancellationToken).ConfigureAwait(false);
        }

        var reused = _done.Count;
        _context.Progress.AddExisting(_done.Keys.Sum(_context.Plan.Length));
        await SendMissingPartsAsync(cancellationToken).ConfigureAwait(false);
        var (etag, response) = await CompleteAsync(cancellationToken).ConfigureAwait(false);
        _checkpoint?.Delete();
        return _context.Result(etag, response, _context.Plan.PartCount - reused, reused, resumed);
    }

    /// <summary>The checkpoint when it describes this very upload; otherwise <see langword="null"/>, after aborting
    /// the upload a stale or damaged checkpoint pointed to.</summary>
    private async Task<CheckpointDocument?> ReadMatchingCheckpointAsync()
    {
        switch (_checkpoint!.Read())
        {
            case CheckpointReadResult.Unusable unusable:
                _context.Write(ObsLogLevel.Warning,
                    $"The checkpoint '{_checkpoint.Path}' cannot be used ({unusable.Reason}); starting {_context.Describe} over.");
                await AbortStaleAsync(unusable.SalvagedUploadId).ConfigureAwait(false);
                return null;
            case CheckpointReadResult.Found { Document: var document } when Mismatch(document) is { } mismatch:
                _context.Write(ObsLogLevel.Info, $"The checkpoint is for {mismatch}; starting {_context.Describe} over.");
                if (IsSameObject(document))
                {
                    await AbortStaleAsync(document.UploadId).ConfigureAwait(false);
                }

                return null;
            case CheckpointReadResult.Found { Document: var document }:
                return document;
            default:
                return null;
        }
    }

    /// <summary>Keeps the parts the server holds that match the file; false when the upload is gone.</summary>
    private async Task<bool> ReconcileAsync(CheckpointDocument document, CancellationToken cancellationToken)
    {
        IReadOnlyList<UploadedPart> serverParts;
        try
        {
            serverParts = await _context.Slots.RunAsync(
                () => Wire.ListPartsAsync(_context.Bucket, _context.Key, document.UploadId, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ObsException exception) when (exception.ErrorCode == "NoSuchUpload")
        {
            _context.Write(ObsLogLevel.Warning, $"The upload {document.UploadId} no longer exists on the server; starting {_context.Describe} over.");
            return false;
        }

        _uploadId = document.UploadId;
        foreach (var (number, md5) in await PartReconciler.KeepAsync(_context, document, serverParts, cancellationToken).ConfigureAwait(false))
        {
            _done[number] = md5;
        }

        return true;
    }

    /// <summary>The MD5 of every part: the checkpoint's while the file is unchanged, otherwise hashed afresh.</summary>
    private async Task<IReadOnlyList<string>> RecordedOrLocalMd5sAsync(CheckpointDocument document, CancellationToken cancellationToken) =>
        PartReconciler.CanTrustRecorded(_context, document) && document.Parts.Count == _context.Plan.PartCount
            ? document.Parts.OrderBy(part => part.PartNumber).Select(part => part.Md5).ToList()
            : await FileRangeHasher.PartMd5sAsync(_context.File, _context.Plan, cancellationToken).ConfigureAwait(false);

    private string? Mismatch(CheckpointDocument document)
    {
        if (!IsSameObject(document))
        {
            return $"another object ({document.Endpoint} {document.Bucket}/{document.Key})";
        }

        if (document.FileSize != _context.Plan.FileSize)
        {
            return $"a file of {document.FileSize} bytes (now {_context.Plan.FileSize})";
        }

        if (document.PartSize != _context.Plan.PartSize)
        {
            return $"a part size of {document.PartSize} bytes (now {_context.Plan.PartSize})";
        }

        return document.RequestFingerprint != Fingerprint ? "other headers or metadata" : null;
    }

    private bool IsSameObject(CheckpointDocument document) =>
        document.Endpoint == Wire.Endpoint.BaseUri.ToString() && document.Bucket == _context.Bucket && document.Key == _context.Key;

    private string Fingerprint => ObjectHeaders.Fingerprint(_context.Headers, _context.Plan.PartSize);

    /// <summary>Aborts an upload an unusable checkpoint pointed to; when its id could not be read, aborts the uploads
    /// of this key that were started before the checkpoint was last written.</summary>
    private async Task AbortStaleAsync(string? uploadId)
    {
        try
        {
            if (uploadId is null)
            {
                var writtenBefore = File.GetLastWriteTimeUtc(_checkpoint!.Path).AddSeconds(1);
                var stale = await Wire.ListMultipartUploadsAsync(_context.Bucket, _context.Key, CancellationToken.None).ConfigureAwait(false);
                foreach (var upload in stale.Where(u => u.ObjectKey == _context.Key && u.Initiated.UtcDateTime <= writtenBefore))
                {
                    await AbortAsync(upload.UploadId).ConfigureAwait(false);
                }
            }
            else
            {
                await AbortAsync(uploadId).ConfigureAwait(false);
            }
        }
        catch (ObsException exception)
        {
            _context.Write(ObsLogLevel.Warning, $"Could not abort the stale upload of {_context.Describe}: {exception.Message}");
        }

        _checkpoint!.Delete();
    }

    private async Task AbortAsync(string uploadId)
    {
        try
        {
            await Wire.AbortMultipartUploadAsync(_context.Bucket, _context.Key, uploadId, CancellationToken.None).ConfigureAwait(false);
            _context.Write(ObsLogLevel.Info, $"Aborted the multipart upload {uploadId} of {_context.Describe}.");
        }
        catch (ObsException exception) when (exception.ErrorCode == "NoSuchUpload")
        {
            // Already gone: nothing is billed for it.
        }
    }

    private async Task InitiateAsync(CancellationToken cancellationToken)
    {
        _done.Clear();
        _uploadId = await _context.Slots.RunAsync(
            () => Wire.InitiateMultipartUploadAsync(_context.Bucket, _context.Key, _context.Headers, cancellationToken), cancellationToken).ConfigureAwait(false);
        _context.Write(ObsLogLevel.Info,
            $"Uploading {_context.Describe} in {_context.Plan.PartCount} parts of {_context.Plan.PartSize} bytes (upload {_uploadId}).");
        SaveCheckpoint(force: true);
    }

    private async Task SendMissingPartsAsync(CancellationToken cancellationToken)
    {
        var missing = _context.Plan.PartNumbers.Where(number => !_done.ContainsKey(number)).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = _context.Request.TaskNum, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(missing, options, SendPartAsync).ConfigureAwait(false);
    }

    private async ValueTask SendPartAsync(int partNumber, CancellationToken cancellationToken)
    {
        var plan = _context.Plan;
        var (offset, length) = (plan.Offset(partNumber), plan.Length(partNumber));
        var contentMd5 = await _context.ContentMd5Async(offset, length, cancellationToken).ConfigureAwait(false);
        var etag = await _context.Slots.RunAsync(() => Wire.UploadPartAsync(_context.Bucket, _context.Key, _uploadId!, partNumber,
            _context.File, offset, length, contentMd5, _context.Progress.OnBytes, cancellationToken), cancellationToken).ConfigureAwait(false);
        _done[partNumber] = etag.ToLowerInvariant();
        _context.Write(ObsLogLevel.Debug, $"Part {partNumber}/{plan.PartCount} of {_context.Describe} sent ({length} bytes).");
        SaveCheckpoint(force: false);
    }

    private async Task<(string ETag, WireResponse? Response)> CompleteAsync(CancellationToken cancellationToken)
    {
        _completeRequested = true;
        SaveCheckpoint(force: true);
        var parts = _done.OrderBy(pair => pair.Key).Select(pair => (pair.Key, pair.Value)).ToList();
        WireResponse response;
        try
        {
            response = await _context.Slots.RunAsync(
                () => Wire.CompleteMultipartUploadAsync(_context.Bucket, _context.Key, _uploadId!, parts, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ObsException exception) when (exception.ErrorCode == "NoSuchUpload")
        {
            // A retry of Complete whose first answer was lost finds the upload gone: the object tells whether it succeeded.
            var completed = await FindCompletedObjectAsync(DoneMd5s(), cancellationToken).ConfigureAwait(false);
            if (completed is null)
            {
                throw;
            }

            return (completed, null);
        }

        var expected = ExpectedETag();
        if (!string.Equals(response.ETag, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ObsException("CompleteMultipartUpload",
                $"The stored object {_context.Bucket}/{_context.Key} has ETag {response.ETag}, expected {expected}: its content differs from the file.",
                errorCode: ObsErrorCodes.ETagMismatch, requestId: response.RequestId);
        }

        return (expected, response);
    }

    /// <summary>The object's ETag when it exists with this file's size and the ETag these parts produce.</summary>
    private async Task<string?> FindCompletedObjectAsync(IReadOnlyList<string> partMd5s, CancellationToken cancellationToken)
    {
        var expected = FileRangeHasher.MultipartETag(partMd5s);
        var stored = await _context.Slots.RunAsync(() => Wire.HeadObjectAsync(_context.Bucket, _context.Key, cancellationToken), cancellationToken).ConfigureAwait(false);
        return stored is not null && stored.ContentLength == _context.Plan.FileSize
            && string.Equals(stored.ETag, expected, StringComparison.OrdinalIgnoreCase) ? expected : null;
    }

    private string ExpectedETag() => FileRangeHasher.MultipartETag(DoneMd5s());

    private List<string> DoneMd5s() => _done.OrderBy(pair => pair.Key).Select(pair => pair.Value).ToList();

    /// <summary>After a failure or cancellation: keep the checkpoint for the next run, or abort the upload.</summary>
    private async Task LeaveAsync()
    {
        if (_uploadId is null)
        {
            return;
        }

        if (_checkpoint is not null)
        {
            SaveCheckpoint(force: true);
            _context.Write(ObsLogLevel.Info,
                $"{_done.Count} of {_context.Plan.PartCount} parts of {_context.Describe} are done; the next run resumes from '{_checkpoint.Path}'.");
            return;
        }

        try
        {
            await AbortAsync(_uploadId).ConfigureAwait(false);
        }
        catch (ObsException exception)
        {
            _context.Write(ObsLogLevel.Warning,
                $"Could not abort the multipart upload {_uploadId} of {_context.Describe}; its parts stay billed until it is aborted: {exception.Message}");
        }
    }

    private void SaveCheckpoint(bool force) => _checkpoint?.Save(() => new CheckpointDocument
    {
        Version = CheckpointDocument.CurrentVersion,
        Endpoint = Wire.Endpoint.BaseUri.ToString(),
        Bucket = _context.Bucket,
        Key = _context.Key,
        UploadId = _uploadId!,
        PartSize = _context.Plan.PartSize,
        FileSize = _context.Plan.FileSize,
        FileLastWriteTimeUtc = _context.FileLastWriteTimeUtc,
        RequestFingerprint = Fingerprint,
        CompleteRequested = _completeRequested,
        // ToArray is an atomic snapshot: LINQ straight over the dictionary sizes its buffer from Count and then overflows
        // (IndexOutOfRangeException) when a part finishes on another thread meanwhile.
        Parts = _done.ToArray().OrderBy(pair => pair.Key).Select(pair => new CheckpointPart(pair.Key, pair.Value)).ToList(),
    }, force);
}
