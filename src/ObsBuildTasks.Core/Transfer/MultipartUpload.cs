namespace ObsBuildTasks.Transfer;

/// <summary>
/// Uploads one file in parts: continues the upload a checkpoint names when the server and the file allow it
/// (<see cref="ResumePlanner"/>), otherwise starts one (<see cref="UploadInitiator"/>); sends the missing parts
/// (<see cref="PartSender"/>) and completes (<see cref="UploadCompletion"/>). On failure the session keeps its
/// checkpoint for the next run or, without one, aborts the upload.
/// </summary>
internal static class MultipartUpload
{
    public static async Task<CompleteMultipartUploadResult> RunAsync(UploadContext context, CheckpointFile? checkpoint, CancellationToken cancellationToken)
    {
        var decision = checkpoint is null
            ? new ResumeDecision.Fresh()
            : await ResumePlanner.DecideAsync(context, checkpoint, cancellationToken).ConfigureAwait(false);
        if (decision is ResumeDecision.AlreadyCompleted completed)
        {
            return context.Result(completed.ETag, null, partsReused: context.Plan.PartCount, resumed: true);
        }

        var session = decision is ResumeDecision.Resume resume
            ? UploadSession.Resume(context, checkpoint!, resume.UploadId, resume.KeptParts)
            : await UploadSession.StartAsync(context, checkpoint,
                await UploadInitiator.InitiateAsync(context, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        try
        {
            var plan = context.Plan;
            var bytesReused = plan.PartNumbers.Where(session.Has).Sum(plan.Length);
            context.Events.Publish(new FileStartedEvent(context.Request, plan.FileSize, plan.PartCount, plan.PartSize, session.PartsReused, bytesReused,
                (decision as ResumeDecision.Resume)?.Rejected ?? 0, session.Resumed));
            context.Progress.Start(bytesReused);
            await PartSender.SendMissingAsync(context, session, cancellationToken).ConfigureAwait(false);
            var (etag, response) = await UploadCompletion.CompleteAsync(context, session, cancellationToken).ConfigureAwait(false);
            session.DeleteCheckpoint();
            return context.Result(etag, response, plan.PartCount - session.PartsReused, session.PartsReused, session.Resumed);
        }
        catch (ObsException exception) when (exception.ErrorCode == "NoSuchUpload")
        {
            // Nothing is left to continue or to abort: a checkpoint naming the upload would only mislead the next run.
            session.DeleteCheckpoint();
            throw EndedElsewhere(context, session.UploadId, exception);
        }
        catch
        {
            await session.LeaveAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The upload vanished while this run was using it: something else ended it. (A Complete whose answer was
    /// lost and that finds the upload gone only gets here when the object, asked, does not hold the file.)</summary>
    private static ObsException EndedElsewhere(UploadContext context, string uploadId, ObsException cause)
    {
        var outcome = cause.Operation == "CompleteMultipartUpload"
            ? "The object there now does not hold this file (it was asked)"
            : "This run completed nothing";
        return new(cause.Operation, cause.Kind,
            $"{cause.Operation}: the multipart upload {uploadId} of {context.Request.BucketName}/{context.Key} no longer exists on the server: something ended it while this run was using it (another run uploading the same key, a lifecycle rule for unfinished uploads, or a person). {outcome}. Run the build again, and let only one job at a time upload this key.",
            cause.StatusCode, cause.ErrorCode, cause.RequestId, cause);
    }
}
