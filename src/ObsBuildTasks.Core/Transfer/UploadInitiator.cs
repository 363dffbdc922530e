using System.Diagnostics;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Starts a multipart upload without leaving a second one behind. When an Initiate had to be retried, failed without a
/// usable answer (a dropped connection, a cut or garbled answer, a 5xx: the server may have acted), or was cancelled
/// while in flight, an attempt may have created an upload whose answer was lost: the uploads of the key that the server
/// started since the first attempt are listed and all but the one this run uses are aborted (also when every attempt
/// failed). The window is the seconds the Initiate took: another run's upload of the same key started within them would
/// be taken for a lost one, the price of never leaving one nothing names.
/// </summary>
internal static class UploadInitiator
{
    /// <summary>Tolerance around the window: the server's <c>Date</c> has a resolution of one second.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    public static async Task<string> InitiateAsync(UploadContext context, CancellationToken cancellationToken)
    {
        Stopwatch? sent = null;
        var retried = false;
        var report = context.RetriesOf();
        void OnRetry(ObsException cause, int attempt, TimeSpan delay)
        {
            retried = true;
            report(cause, attempt, delay);
        }

        string uploadId;
        try
        {
            uploadId = await context.InSlotAsync(() =>
            {
                sent = Stopwatch.StartNew();
                return context.Bucket.InitiateMultipartUploadAsync(context.Key, context.Headers, OnRetry, cancellationToken);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (sent is not null && (exception is OperationCanceledException
            || (exception is ObsException failure && (retried || RetryPolicy.IsTransient(failure)))))
        {
            // Sent, and the answer was lost, cut, garbled or cancelled (or came after retries): the server may have
            // started an upload. Not sent (cancelled while waiting for a slot) or plainly refused at the only attempt,
            // nothing can have been started: the filter lets those through, and nothing is aborted.
            await AbortStartedSinceAsync(context, null, sent.Elapsed).ConfigureAwait(false);
            throw;
        }

        if (retried)
        {
            await AbortStartedSinceAsync(context, uploadId, sent!.Elapsed).ConfigureAwait(false);
        }

        return uploadId;
    }

    private static async Task AbortStartedSinceAsync(UploadContext context, string? keep, TimeSpan elapsed)
    {
        var aborted = await StaleUploads.AbortWhereAsync(context, (upload, serverNow) =>
            upload.UploadId != keep && upload.Initiated >= serverNow - elapsed - Margin && upload.Initiated <= serverNow + Margin).ConfigureAwait(false);
        if (aborted > 0)
        {
            context.Warn(UploadWarning.DuplicateUploadAborted,
                $"An answer to InitiateMultipartUpload of {context.Describe} was lost and the server had started {aborted} upload(s) nobody would finish; aborted them so that no parts stay billed.");
        }
    }
}
