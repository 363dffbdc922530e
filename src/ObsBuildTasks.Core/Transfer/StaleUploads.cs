namespace ObsBuildTasks.Transfer;

/// <summary>Aborts multipart uploads this client is done with, so that no parts stay billed: the upload of a failed run
/// without checkpoint, the stale upload a checkpoint pointed to, the duplicates a lost Initiate answer left.</summary>
internal static class StaleUploads
{
    /// <summary>How long aborting may take once the caller has cancelled (it runs on its own, bounded token).</summary>
    private static readonly TimeSpan AbortLimit = TimeSpan.FromSeconds(60);

    /// <summary>Aborts <paramref name="uploadId"/> of this file's key; a failure is reported as a warning, never thrown.</summary>
    public static Task AbortAsync(UploadContext context, string uploadId) => AbortAsync(context, context.Key, uploadId);

    /// <summary>Aborts <paramref name="uploadId"/> of <paramref name="key"/> in this file's bucket; a failure is reported
    /// as a warning, never thrown.</summary>
    public static async Task AbortAsync(UploadContext context, string key, string uploadId)
    {
        using var limit = new CancellationTokenSource(AbortLimit);
        try
        {
            await context.Bucket.AbortMultipartUploadAsync(key, uploadId, limit.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ObsException or OperationCanceledException)
        {
            context.Warn(UploadWarning.AbortFailed,
                $"Could not abort the multipart upload {uploadId} of {context.Describe}; its parts stay billed until it is aborted (ObsClient.AbortMultipartUploadAsync, or the bucket's lifecycle rule for unfinished uploads): {exception.Message}");
        }
    }

    /// <summary>Aborts the unfinished uploads of this key that <paramref name="isStale"/> picks, given each upload and
    /// the server's time when they were listed. Returns how many were aborted; failures are warnings.</summary>
    public static async Task<int> AbortWhereAsync(UploadContext context, Func<MultipartUploadInfo, DateTimeOffset, bool> isStale)
    {
        try
        {
            using var limit = new CancellationTokenSource(AbortLimit);
            var listing = await context.Bucket.ListMultipartUploadsAsync(context.Key, limit.Token).ConfigureAwait(false);
            var serverNow = listing.ServerDate ?? context.Bucket.ServerNow;
            var stale = listing.Uploads.Where(upload => upload.ObjectKey == context.Key && isStale(upload, serverNow)).ToList();
            foreach (var upload in stale)
            {
                await AbortAsync(context, upload.UploadId).ConfigureAwait(false);
            }

            return stale.Count;
        }
        catch (Exception exception) when (exception is ObsException or OperationCanceledException)
        {
            context.Warn(UploadWarning.AbortFailed,
                $"Could not list the unfinished uploads of {context.Describe} to abort those left behind; they stay billed until aborted: {exception.Message}");
            return 0;
        }
    }
}
