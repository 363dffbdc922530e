using ObsBuildTasks.Validation;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>Uploads one file: validates, opens it for the whole call (and closes it after), skips it when the stored
/// object already matches, and sends it in one request or in parts.</summary>
internal static class FileUpload
{
    public static async Task<CompleteMultipartUploadResult> RunAsync(ObsWireClient wire, UploadFileRequest request, RequestSlots slots,
        Action<ObsLogLevel, string>? log, CancellationToken cancellationToken)
    {
        UploadValidator.Validate(request);
        try
        {
            return await UploadFileAsync(wire, request, slots, log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ObsException("UploadFile", $"Could not read '{request.UploadFile}' or write its checkpoint: {exception.Message}",
                errorCode: ObsErrorCodes.LocalFileError, innerException: exception);
        }
    }

    private static async Task<CompleteMultipartUploadResult> UploadFileAsync(ObsWireClient wire, UploadFileRequest request, RequestSlots slots,
        Action<ObsLogLevel, string>? log, CancellationToken cancellationToken)
    {
        var info = new FileInfo(request.UploadFile);
        using var file = File.OpenHandle(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var plan = PartPlan.Create(RandomAccess.GetLength(file), request.PartSize);
        await using var progress = new ProgressReporter(plan.FileSize, request.ProgressCallback, request.ProgressInterval, log);
        var context = new UploadContext
        {
            Wire = wire,
            Request = request,
            Slots = slots,
            File = file,
            Plan = plan,
            FileLastWriteTimeUtc = info.LastWriteTimeUtc,
            Headers = ObjectHeaders.Build(request, wire.HeaderPrefix),
            Progress = progress,
            Log = log,
        };

        var result = await UploadAsync(context, cancellationToken).ConfigureAwait(false);
        await progress.FinishAsync(succeeded: true).ConfigureAwait(false);
        context.Write(ObsLogLevel.Info, result.Skipped
            ? $"{context.Describe} is unchanged on the server; skipped."
            : $"Uploaded {context.Describe} ({plan.FileSize} bytes, ETag {result.ETag}{(result.Resumed ? $", resumed with {result.PartsReused} parts kept" : "")}).");
        return result;
    }

    private static async Task<CompleteMultipartUploadResult> UploadAsync(UploadContext context, CancellationToken cancellationToken)
    {
        if (context.Request.SkipUnchanged && await StoredETagIfUnchangedAsync(context, cancellationToken).ConfigureAwait(false) is { } etag)
        {
            return context.Result(etag, null, skipped: true);
        }

        using var checkpoint = context.Request.EnableCheckpoint
            ? CheckpointFile.Acquire(context.Request.CheckpointFile ?? context.Request.UploadFile + ".obs-checkpoint.json")
            : null;
        if (!context.Plan.IsSingleRequest)
        {
            return await MultipartUpload.RunAsync(context, checkpoint, cancellationToken).ConfigureAwait(false);
        }

        if (checkpoint?.Read() is CheckpointReadResult.Found or CheckpointReadResult.Unusable)
        {
            // Left by a multipart attempt of an earlier, larger file: its upload is of no use now.
            await MultipartUpload.DiscardAsync(context, checkpoint).ConfigureAwait(false);
        }

        return await PutSingleAsync(context, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CompleteMultipartUploadResult> PutSingleAsync(UploadContext context, CancellationToken cancellationToken)
    {
        var length = context.Plan.FileSize;
        var contentMd5 = await context.ContentMd5Async(0, length, cancellationToken).ConfigureAwait(false);
        var response = await context.Slots.RunAsync(() => context.Wire.PutObjectAsync(context.Bucket, context.Key, context.Headers,
            context.File, length, contentMd5, context.Progress.OnBytes, cancellationToken), cancellationToken).ConfigureAwait(false);
        return context.Result(response.ETag ?? "", response, partsUploaded: 1);
    }

    /// <summary>The stored object's ETag when it has the file's size and the ETag this file's plan produces.</summary>
    private static async Task<string?> StoredETagIfUnchangedAsync(UploadContext context, CancellationToken cancellationToken)
    {
        var stored = await context.Slots.RunAsync(() => context.Wire.HeadObjectAsync(context.Bucket, context.Key, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.ContentLength != context.Plan.FileSize)
        {
            return null;
        }

        var md5s = await FileRangeHasher.PartMd5sAsync(context.File, context.Plan, cancellationToken).ConfigureAwait(false);
        var expected = context.Plan.IsSingleRequest ? md5s[0] : FileRangeHasher.MultipartETag(md5s);
        return string.Equals(stored.ETag, expected, StringComparison.OrdinalIgnoreCase) ? expected : null;
    }
}
