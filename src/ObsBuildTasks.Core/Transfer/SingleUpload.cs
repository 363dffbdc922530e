using ObsBuildTasks.Hashing;

namespace ObsBuildTasks.Transfer;

/// <summary>Uploads a file that fits in one part with one <c>PUT</c>. Its MD5 is computed first and sent as
/// <c>Content-MD5</c>, so the service refuses a body that changed after it was hashed; the file is checked again once
/// the object is stored, and the object is asked for: in a listing with other files of the call
/// (<see cref="StoredObjectBatch"/>), else on its own (<see cref="StoredObjectCheck"/>).</summary>
internal static class SingleUpload
{
    public static async Task<CompleteMultipartUploadResult> RunAsync(UploadContext context, CancellationToken cancellationToken)
    {
        var md5 = await context.WholeFileMd5Async(cancellationToken).ConfigureAwait(false);
        context.Events.Publish(new FileStartedEvent(context.Request, context.Plan.FileSize, 1, context.Plan.PartSize, 0, 0, 0, false));
        context.Progress.Start(0);
        var response = await context.InSlotAsync(() => context.Bucket.PutObjectAsync(context.Key, context.Headers, context.File, md5,
            context.Progress.OnBytes, context.RetriesOf(), cancellationToken), cancellationToken).ConfigureAwait(false);
        await context.File.EnsureUnchangedAsync("The object holds the file as it was when its upload started, which is not the file now",
            () => Task.FromResult(LaneHasher.Md5(context.File, context.Plan.Range(1), cancellationToken).AsSpan().SequenceEqual(md5))).ConfigureAwait(false);
        var etag = FileRangeHasher.ToHex(md5);
        if (context.StoredObjects is not { } batch || !await batch.ConfirmAsync(context, etag).ConfigureAwait(false))
        {
            await StoredObjectCheck.EnsureStoredAsync(context, "PutObject", etag, response, cancellationToken).ConfigureAwait(false);
        }
        return context.Result(etag, response, partsUploaded: 1);
    }
}
