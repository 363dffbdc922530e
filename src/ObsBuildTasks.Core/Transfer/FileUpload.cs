using ObsBuildTasks.Validation;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>Uploads one file: opens it for the whole call (and closes it after), skips it when the stored object already
/// matches, sends it in one request or in parts, and tells the observer how it went.</summary>
internal static class FileUpload
{
    public static async Task<CompleteMultipartUploadResult> RunAsync(ObsWireClient wire, UploadFileRequest request, RequestSlots slots,
        EventPublisher events, Func<LocalFile, Task<byte[]?>>? digestAhead, StoredObjectBatch.FileTurn? storedObjects, CancellationToken cancellationToken)
    {
        UploadValidator.ThrowIfInvalid(request);
        var resumable = false;
        ProgressReporter? sending = null;
        try
        {
            var bucket = await wire.BucketAsync(request.BucketName, cancellationToken).ConfigureAwait(false);
            using var file = LocalFile.Open(request.UploadFile);
            var plan = PartPlan.Create(file.Length, request.PartSize);
            await using var progress = sending = new ProgressReporter(request, plan.FileSize, events);
            var context = new UploadContext
            {
                Bucket = bucket,
                Request = request,
                Slots = slots,
                File = file,
                Plan = plan,
                Headers = ObjectHeaders.Build(request, bucket.HeaderPrefix),
                Progress = progress,
                Events = events,
                DigestAhead = digestAhead,
                StoredObjects = storedObjects,
            };

            var checkpointPath = request.EnableCheckpoint ? request.CheckpointFile ?? DefaultCheckpointFile(request) : null;
            if (request.SkipUnchanged && await ResumePlanner.CompletedObjectETagAsync(context, cancellationToken).ConfigureAwait(false) is { } etag)
            {
                await DiscardCheckpointAsync(context, checkpointPath).ConfigureAwait(false);
                var skipped = context.Result(etag, null, skipped: true);
                events.Publish(new FileSkippedEvent(request, skipped));
                return skipped;
            }

            using var checkpoint = checkpointPath is null ? null : CheckpointFile.Acquire(checkpointPath);
            try
            {
                var result = await UploadAsync(context, checkpoint, cancellationToken).ConfigureAwait(false);
                await progress.FinishAsync().ConfigureAwait(false);
                events.Publish(new FileFinishedEvent(request, result, progress.Elapsed));
                return result;
            }
            finally
            {
                resumable = checkpoint?.Exists == true;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var error = new ObsException("UploadFile", ObsErrorKind.LocalFile,
                $"Could not read '{request.UploadFile}' or write its checkpoint: {exception.Message}", innerException: exception);
            events.Publish(new FileFailedEvent(request, error, resumable) { BytesSent = sending?.BytesSent ?? 0 });
            throw error;
        }
        catch (ObsException exception)
        {
            events.Publish(new FileFailedEvent(request, exception, resumable) { BytesSent = sending?.BytesSent ?? 0 });
            throw;
        }
    }

    /// <summary>The checkpoint used when <see cref="UploadFileRequest.CheckpointFile"/> is not set: beside the file.</summary>
    public static string DefaultCheckpointFile(UploadFileRequest request) => request.UploadFile + ".obs-checkpoint.json";

    /// <summary>The object already holds the file: an upload an earlier run's checkpoint at <paramref name="path"/>
    /// recorded will never be completed, so it is aborted and the checkpoint deleted, as when the file now fits in one
    /// request. Without a checkpoint there, nothing is locked or sent.</summary>
    private static async Task DiscardCheckpointAsync(UploadContext context, string? path)
    {
        if (path is not null && File.Exists(SidecarName.Fit(Path.GetFullPath(path))))
        {
            using var checkpoint = CheckpointFile.Acquire(path);
            await ResumePlanner.DiscardAsync(context, checkpoint).ConfigureAwait(false);
        }
    }

    private static async Task<CompleteMultipartUploadResult> UploadAsync(UploadContext context, CheckpointFile? checkpoint, CancellationToken cancellationToken)
    {
        if (!context.Plan.IsSingleRequest)
        {
            return await MultipartUpload.RunAsync(context, checkpoint, cancellationToken).ConfigureAwait(false);
        }

        if (checkpoint is not null)
        {
            // Left by a multipart attempt of an earlier, larger file: its upload is of no use now.
            await ResumePlanner.DiscardAsync(context, checkpoint).ConfigureAwait(false);
        }

        return await SingleUpload.RunAsync(context, cancellationToken).ConfigureAwait(false);
    }
}
