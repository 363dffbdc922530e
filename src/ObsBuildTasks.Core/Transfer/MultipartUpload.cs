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
            checkpoint!.Delete();
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
            session.Finish();
            return context.Result(etag, response, plan.PartCount - session.PartsReused, session.PartsReused, session.Resumed);
        }
        catch
        {
            await session.LeaveAsync().ConfigureAwait(false);
            throw;
        }
    }
}
