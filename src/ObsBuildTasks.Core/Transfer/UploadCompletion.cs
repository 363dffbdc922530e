using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Completes a multipart upload whose parts are all on the server: checks first that the file is still the one that was
/// read, then sends Complete and checks that the object's ETag is the one its parts make. A lost answer whose retry
/// finds the upload gone is settled by the object itself.
/// </summary>
internal static class UploadCompletion
{
    private const string Operation = "CompleteMultipartUpload";

    public static async Task<(string ETag, WireResponse? Response)> CompleteAsync(UploadContext context, UploadSession session,
        CancellationToken cancellationToken)
    {
        context.File.EnsureUnchanged(LocalFile.NothingCompleted);
        var md5s = session.PartMd5s();
        var expected = FileRangeHasher.ObjectETag(context.Plan, md5s);
        session.MarkCompleteRequested();
        WireResponse response;
        try
        {
            var parts = md5s.Select((md5, index) => (index + 1, md5)).ToList();
            response = await context.InSlotAsync(() => context.Bucket.CompleteMultipartUploadAsync(context.Key, session.UploadId, parts,
                context.RetriesOf(), cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ObsException exception) when (exception.ErrorCode == "NoSuchUpload")
        {
            // A retry of Complete whose first answer was lost finds the upload gone: the object tells whether it succeeded.
            if (await ResumePlanner.CompletedObjectETagAsync(context, cancellationToken).ConfigureAwait(false) is { } completed)
            {
                return (completed, null);
            }

            throw;
        }

        if (!string.Equals(response.ETag, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ObsException(Operation, ObsErrorKind.IntegrityMismatch,
                $"{Operation}: the stored object {context.Request.BucketName}/{context.Key} has ETag {SafeText.Printable(response.ETag)}, but the parts sent make {expected}: what the server assembled is not the file. Do not use that object; run the build again to replace it.",
                requestId: response.RequestId);
        }

        return (expected, response);
    }
}
