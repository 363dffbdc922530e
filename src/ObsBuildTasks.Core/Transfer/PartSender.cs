namespace ObsBuildTasks.Transfer;

/// <summary>Sends the parts of a multipart upload that are not on the server yet, up to <c>TaskNum</c> at once (and
/// within the call's slots), each with its MD5 as <c>Content-MD5</c>, recording each one the server accepted.</summary>
internal static class PartSender
{
    public static async Task SendMissingAsync(UploadContext context, UploadSession session, CancellationToken cancellationToken)
    {
        var missing = context.Plan.PartNumbers.Where(number => !session.Has(number)).ToList();
        using var hashing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var digests = new PartDigests(context.File, context.Plan, missing, hashing.Token);
        var options = new ParallelOptions { MaxDegreeOfParallelism = context.Request.TaskNum, CancellationToken = cancellationToken };
        try
        {
            await Parallel.ForEachAsync(missing, options, (number, token) => new ValueTask(SendAsync(context, session, digests, number, token))).ConfigureAwait(false);
        }
        finally
        {
            // A batch hashed ahead for parts that will not be sent stops at its next read.
            await hashing.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(UploadContext context, UploadSession session, PartDigests digests, int partNumber, CancellationToken cancellationToken)
    {
        var (offset, length) = (context.Plan.Offset(partNumber), context.Plan.Length(partNumber));
        var contentMd5 = await digests.Md5Async(partNumber).ConfigureAwait(false);
        var md5 = await context.InSlotAsync(() => context.Bucket.UploadPartAsync(context.Key, session.UploadId, partNumber, context.File, offset, length,
            contentMd5, context.Progress.OnBytes, context.RetriesOf(partNumber), cancellationToken), cancellationToken).ConfigureAwait(false);
        session.RecordPart(partNumber, md5);
    }
}
