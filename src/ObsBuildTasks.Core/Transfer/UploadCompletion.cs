using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Completes a multipart upload whose parts are all on the server: checks first that the file is still the one that was
/// read, then sends Complete, checks that the answer's ETag is the one its parts make, and asks the object itself
/// (<c>HEAD</c>) for its size and ETag: an answer alone is not trusted, since a gateway or a faulty server can say
/// "completed" for an object that was never assembled. A lost answer whose retry finds the upload gone is settled by
/// the object too.
/// </summary>
internal static class UploadCompletion
{
    private const string Operation = "CompleteMultipartUpload";

    public static async Task<(string ETag, WireResponse? Response)> CompleteAsync(UploadContext context, UploadSession session,
        CancellationToken cancellationToken)
    {
        var md5s = session.PartMd5s();
        await context.File.EnsureUnchangedAsync(LocalFile.NothingCompleted, async () =>
            (await FileRangeHasher.AllPartMd5sAsync(context.File, context.Plan, context.Request.TaskNum, cancellationToken).ConfigureAwait(false))
            .SequenceEqual(md5s, StringComparer.OrdinalIgnoreCase)).ConfigureAwait(false);
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

        await StoredObjectCheck.EnsureStoredAsync(context, Operation, expected, response, cancellationToken).ConfigureAwait(false);
        return (expected, response);
    }
}
