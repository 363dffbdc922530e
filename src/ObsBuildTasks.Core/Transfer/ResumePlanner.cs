using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>What a checkpoint allows.</summary>
internal abstract record ResumeDecision
{
    /// <summary>Nothing to continue: start a new upload.</summary>
    public sealed record Fresh : ResumeDecision;

    /// <summary>Continue <paramref name="UploadId"/>, keeping <paramref name="KeptParts"/> (number → MD5), all checked
    /// against the file's bytes; <paramref name="Rejected"/> parts on the server no longer match and are sent again.</summary>
    public sealed record Resume(string UploadId, IReadOnlyDictionary<int, string> KeptParts, int Rejected) : ResumeDecision;

    /// <summary>The object already holds the file (an earlier run completed the upload and lost the answer, or the
    /// Complete never arrived and the object held these bytes before): the recorded upload has been aborted and the
    /// checkpoint deleted (kept, with a warning, when the abort failed).</summary>
    public sealed record AlreadyCompleted(string ETag) : ResumeDecision;
}

/// <summary>
/// Decides from the checkpoint and the server whether an upload can continue. The server is the record and the file's
/// bytes are the truth: the upload must be one the server lists for this very key, and a part on the server is kept
/// only if its size fits the plan and its ETag equals the MD5 of the same bytes of the file, hashed now (never trusted
/// from times or the checkpoint). Whatever cannot continue is aborted before a fresh start.
/// </summary>
internal static class ResumePlanner
{
    public static async Task<ResumeDecision> DecideAsync(UploadContext context, CheckpointFile checkpoint, CancellationToken cancellationToken)
    {
        switch (checkpoint.Read())
        {
            case CheckpointReadResult.Unusable unusable:
                context.Warn(UploadWarning.CheckpointUnusable,
                    $"The checkpoint '{checkpoint.Path}' cannot be used ({unusable.Reason}); starting {context.Describe} over."
                    + await SettleRecordedAsync(context, checkpoint, unusable.SalvagedUploadId).ConfigureAwait(false));
                return new ResumeDecision.Fresh();
            case CheckpointReadResult.Found { Document: var document } when !IsSameObject(context, document):
                await AbortOtherObjectsAsync(context, checkpoint, document).ConfigureAwait(false);
                return new ResumeDecision.Fresh();
            case CheckpointReadResult.Found { Document: var document } when !FitsThisFile(context, document):
                // Another size, part size or headers: the old upload can never complete this file.
                await StaleUploads.AbortAsync(context, document.UploadId).ConfigureAwait(false);
                checkpoint.Delete();
                return new ResumeDecision.Fresh();
            case CheckpointReadResult.Found { Document: var document }:
                return await ContinueAsync(context, checkpoint, document, cancellationToken).ConfigureAwait(false);
            default:
                return new ResumeDecision.Fresh();
        }
    }

    /// <summary>Aborts whatever upload the checkpoint names for this file and deletes it: the file now fits in one
    /// request, or the object already holds it, so no multipart upload of it will be continued.</summary>
    public static async Task DiscardAsync(UploadContext context, CheckpointFile checkpoint)
    {
        switch (checkpoint.Read())
        {
            case CheckpointReadResult.Unusable unusable:
                if (await SettleRecordedAsync(context, checkpoint, unusable.SalvagedUploadId).ConfigureAwait(false) is { Length: > 0 } named)
                {
                    context.Warn(UploadWarning.CheckpointUnusable, $"The checkpoint '{checkpoint.Path}' cannot be used ({unusable.Reason}).{named}");
                }

                break;
            case CheckpointReadResult.Found { Document: var document } when !IsSameObject(context, document):
                await AbortOtherObjectsAsync(context, checkpoint, document).ConfigureAwait(false);
                break;
            case CheckpointReadResult.Found { Document: var document }:
                await EndRecordedAsync(context, checkpoint, document).ConfigureAwait(false);
                break;
        }
    }

    private static async Task<ResumeDecision> ContinueAsync(UploadContext context, CheckpointFile checkpoint, CheckpointDocument document,
        CancellationToken cancellationToken)
    {
        if (document.CompleteRequested && await CompletedObjectETagAsync(context, cancellationToken).ConfigureAwait(false) is { } etag)
        {
            // The Complete may never have reached the store (the object held these bytes before): the upload may be open.
            await EndRecordedAsync(context, checkpoint, document).ConfigureAwait(false);
            return new ResumeDecision.AlreadyCompleted(etag);
        }

        var listing = await UploadsUnlessDeniedAsync(context, cancellationToken).ConfigureAwait(false);
        if (listing is not null && !listing.Uploads.Any(upload => upload.ObjectKey == context.Key && upload.UploadId == document.UploadId))
        {
            return await GoneAsync(context, checkpoint, document.UploadId, listing).ConfigureAwait(false);
        }

        IReadOnlyList<UploadedPart> serverParts;
        try
        {
            serverParts = await context.InSlotAsync(() => context.Bucket.ListPartsAsync(context.Key, document.UploadId, context.RetriesOf(), cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ObsException exception) when (exception.ErrorCode == "NoSuchUpload")
        {
            return await GoneAsync(context, checkpoint, document.UploadId, listing).ConfigureAwait(false);
        }
        catch (ObsException exception) when (listing is null && IsDenied(exception))
        {
            throw NotCheckable(context, checkpoint, document.UploadId, exception);
        }

        var kept = await MatchingPartsAsync(context, serverParts, cancellationToken).ConfigureAwait(false);
        return new ResumeDecision.Resume(document.UploadId, kept, serverParts.Count - kept.Count);
    }

    /// <summary>The key's unfinished uploads, or <see langword="null"/> when the credentials may not list them (a
    /// least-privilege policy that grants object actions only): the listing only double-checks that the recorded upload
    /// is this key's, which ListParts of it for this key shows as well.</summary>
    private static async Task<UploadListing?> UploadsUnlessDeniedAsync(UploadContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await context.InSlotAsync(() => context.Bucket.ListMultipartUploadsAsync(context.Key, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ObsException exception) when (IsDenied(exception))
        {
            return null;
        }
    }

    private static bool IsDenied(ObsException exception) =>
        exception.StatusCode == System.Net.HttpStatusCode.Forbidden && exception.ErrorCode == "AccessDenied";

    /// <summary>The failure when the credentials may list neither the bucket's unfinished uploads nor the recorded
    /// upload's parts: nothing can be checked, so nothing is resumed, and the upload stays recorded for a run that may.</summary>
    private static ObsException NotCheckable(UploadContext context, CheckpointFile checkpoint, string uploadId, ObsException cause) =>
        new(cause.Operation, cause.Kind,
            $"{cause.Operation} failed with HTTP 403 AccessDenied, and so did ListMultipartUploads: the credentials may not list the parts of upload {uploadId}, which the checkpoint '{checkpoint.Path}' records for {context.Describe}, nor the bucket's unfinished uploads, so it cannot be checked and resumed (writing is not what was refused). Give the credentials the ListMultipartUploadParts permission (and ListBucketMultipartUploads, to have the upload double-checked); or, to start over, abort upload {uploadId} (ObsClient.AbortMultipartUploadAsync, or the console) and delete the checkpoint.",
            cause.StatusCode, cause.ErrorCode, cause.RequestId, cause);

    /// <summary>The server's parts whose size fits the plan and whose ETag is the MD5 of the file's bytes now.</summary>
    private static async Task<IReadOnlyDictionary<int, string>> MatchingPartsAsync(UploadContext context, IReadOnlyList<UploadedPart> serverParts,
        CancellationToken cancellationToken)
    {
        var plan = context.Plan;
        var candidates = serverParts
            .Where(part => part.PartNumber <= plan.PartCount && part.Size == plan.Length(part.PartNumber) && ETags.IsMd5(part.ETag))
            .GroupBy(part => part.PartNumber)
            .ToDictionary(group => group.Key, group => group.First().ETag);
        var local = await FileRangeHasher.PartMd5sAsync(context.File, plan, candidates.Keys, context.Request.TaskNum, cancellationToken).ConfigureAwait(false);
        return candidates.Where(part => string.Equals(part.Value, local[part.Key], StringComparison.OrdinalIgnoreCase))
            .ToDictionary(part => part.Key, part => local[part.Key]);
    }

    /// <summary>The object's ETag when it exists with the file's size and the ETag the file's parts make now;
    /// <see langword="null"/> when not, or when the credentials may not read it (then nothing can be skipped or settled by
    /// the object, and the upload goes on as if it were not there).</summary>
    public static async Task<string?> CompletedObjectETagAsync(UploadContext context, CancellationToken cancellationToken)
    {
        ObjectProperties? stored;
        try
        {
            stored = await context.InSlotAsync(() => context.Bucket.HeadObjectAsync(context.Key, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ObsException exception) when (exception.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (stored is null || stored.ContentLength != context.Plan.FileSize)
        {
            return null;
        }

        var expected = context.Plan.IsSingleRequest
            ? FileRangeHasher.ToHex(await context.WholeFileMd5Async(cancellationToken).ConfigureAwait(false))
            : FileRangeHasher.ObjectETag(context.Plan,
                await FileRangeHasher.AllPartMd5sAsync(context.File, context.Plan, context.Request.TaskNum, cancellationToken).ConfigureAwait(false));
        return string.Equals(stored.ETag, expected, StringComparison.OrdinalIgnoreCase) ? expected : null;
    }

    /// <summary>No run will continue the upload the checkpoint records for this very object: it is aborted (its id is
    /// read from this file's own checkpoint) and the checkpoint deleted. It is left open, and named in a warning, when the
    /// server holds parts of it that the checkpoint does not record: a copy of this checkpoint (a CI cache restored into
    /// two jobs) may be in use by a job that is adding them, and that job's upload is not this run's to end. When the
    /// abort fails or is not made, the checkpoint is kept, so that the next run looks again and nothing is left that
    /// nothing names.</summary>
    private static async Task EndRecordedAsync(UploadContext context, CheckpointFile checkpoint, CheckpointDocument document)
    {
        if (await PartsNotRecordedAsync(context, document).ConfigureAwait(false) is { } unrecorded)
        {
            context.Warn(UploadWarning.AbortFailed,
                $"The multipart upload {document.UploadId} that the checkpoint '{checkpoint.Path}' records for {context.Describe} was left open: the server holds {unrecorded} part(s) of it that the checkpoint does not record, so another job may be resuming a copy of this checkpoint. If none is, abort it (ObsClient.AbortMultipartUploadAsync, or the bucket's lifecycle rule for unfinished uploads); its parts stay billed until then.");
            return;
        }

        if (await StaleUploads.AbortAsync(context, document.UploadId).ConfigureAwait(false))
        {
            checkpoint.Delete();
        }
    }

    /// <summary>How many of the recorded upload's parts on the server the checkpoint does not record (or records with
    /// another MD5), or <see langword="null"/> when there are none or the parts cannot be listed (an upload that is gone,
    /// or a refusal: the abort then settles it, and says so).</summary>
    private static async Task<int?> PartsNotRecordedAsync(UploadContext context, CheckpointDocument document)
    {
        IReadOnlyList<UploadedPart> serverParts;
        try
        {
            serverParts = await context.InSlotAsync(() => context.Bucket.ListPartsAsync(context.Key, document.UploadId, context.RetriesOf(),
                CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObsException)
        {
            return null;
        }

        var recorded = document.Parts.DistinctBy(part => part.PartNumber).ToDictionary(part => part.PartNumber, part => part.Md5);
        var unrecorded = serverParts.Count(part =>
            !recorded.TryGetValue(part.PartNumber, out var md5) || !string.Equals(ETags.Unquote(part.ETag), md5, StringComparison.OrdinalIgnoreCase));
        return unrecorded > 0 ? unrecorded : null;
    }

    /// <summary>The checkpoint names an upload the server does not list for this key: it is not trusted (never used
    /// for this key). It is aborted for this key all the same, in case the listing left it out (its id is read from this
    /// file's own checkpoint; an upload that is truly gone, or another key's, is not touched), and the key's uploads it
    /// may have stood for are named, not aborted.</summary>
    private static async Task<ResumeDecision> GoneAsync(UploadContext context, CheckpointFile checkpoint, string uploadId, UploadListing? listing)
    {
        var outcome = await StaleUploads.AbortAsync(context, uploadId).ConfigureAwait(false)
            ? "it was aborted for this key in case the listing left it out"
            : "aborting it for this key in case the listing left it out failed";
        context.Warn(UploadWarning.UploadGone,
            $"The checkpoint names upload {uploadId}, which the server does not list for {context.Key} (aborted, expired, or not this key's); {outcome}, and {context.Describe} starts over."
            + await SettleRecordedAsync(context, checkpoint, null, listing).ConfigureAwait(false));
        return new ResumeDecision.Fresh();
    }

    /// <summary>Ends what a checkpoint that cannot be continued recorded, and deletes it: the upload is aborted when its
    /// id can be trusted; otherwise the key's uploads started before the checkpoint was last written (the ones it may
    /// have named) are only named in the returned sentence, since one of them may be another run's, in progress.</summary>
    private static async Task<string> SettleRecordedAsync(UploadContext context, CheckpointFile checkpoint, string? uploadId,
        UploadListing? listing = null)
    {
        var named = "";
        if (uploadId is not null)
        {
            await StaleUploads.AbortAsync(context, context.Key, uploadId).ConfigureAwait(false);
        }
        else
        {
            var writtenBy = new DateTimeOffset(File.GetLastWriteTimeUtc(checkpoint.Path)).AddSeconds(1);
            named = await StaleUploads.NameUnrecordedAsync(context, writtenBy, listing).ConfigureAwait(false);
        }

        checkpoint.Delete();
        return named;
    }

    /// <summary>A checkpoint file that records an upload of another object (a reused CheckpointFile path): that upload
    /// is aborted when it is in this bucket, since the checkpoint about to be written over is the only record of it.</summary>
    private static async Task AbortOtherObjectsAsync(UploadContext context, CheckpointFile checkpoint, CheckpointDocument document)
    {
        if (document.Endpoint == context.Bucket.Endpoint.BaseUri.ToString() && document.Bucket == context.Request.BucketName)
        {
            await StaleUploads.AbortAsync(context, document.Key, document.UploadId).ConfigureAwait(false);
        }
        else
        {
            context.Warn(UploadWarning.AbortFailed,
                $"The checkpoint '{checkpoint.Path}' recorded upload {document.UploadId} of {SafeText.Url(document.Endpoint)} {document.Bucket}/{document.Key}, another object; it is replaced, and that upload stays billed until it is aborted there.");
        }

        checkpoint.Delete();
    }

    private static bool FitsThisFile(UploadContext context, CheckpointDocument document) =>
        document.FileSize == context.Plan.FileSize && document.PartSize == context.Plan.PartSize && document.RequestFingerprint == context.Fingerprint;

    private static bool IsSameObject(UploadContext context, CheckpointDocument document) =>
        document.Endpoint == context.Bucket.Endpoint.BaseUri.ToString() && document.Bucket == context.Request.BucketName && document.Key == context.Key;
}
