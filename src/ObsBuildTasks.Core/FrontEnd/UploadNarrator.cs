using System.Globalization;

namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// Turns the engine's events into what users read, the same for every front end: per file a start line and an end line
/// (or a coded error), a throttled progress line for the call, retries and recovered trouble as coded warnings, the
/// signature chosen for each bucket, and the totals at the end. Thread-safe: lines go to the reporter one at a time.
/// </summary>
internal sealed class UploadNarrator : IUploadObserver
{
    private readonly IUploadReporter _reporter;
    private readonly IReadOnlyDictionary<UploadFileRequest, string> _names;
    private readonly ProgressHeartbeat _heartbeat;
    private readonly int _maxAttempts;
    private readonly ProgressCallback _onProgress;
    private readonly string _credentialOrigin;
    private readonly Lock _lock = new();
    private long _failedBytesSent;

    /// <param name="reporter">Where lines go.</param>
    /// <param name="names">How each file is called in messages.</param>
    /// <param name="heartbeat">The progress line of the call.</param>
    /// <param name="maxAttempts">Attempts per request (retries + 1), for retry warnings.</param>
    /// <param name="onProgress">The caller's own progress callback, or <see langword="null"/>.</param>
    /// <param name="credentialOrigin">Where the credentials came from, said when the service rejects them.</param>
    public UploadNarrator(IUploadReporter reporter, IReadOnlyDictionary<UploadFileRequest, string> names, ProgressHeartbeat heartbeat, int maxAttempts,
        Action<FileProgressEvent>? onProgress, string credentialOrigin)
    {
        _credentialOrigin = credentialOrigin;
        _reporter = reporter;
        _names = names;
        _heartbeat = heartbeat;
        _maxAttempts = maxAttempts;
        _onProgress = new ProgressCallback(onProgress, warning =>
        {
            lock (_lock)
            {
                _reporter.Warning(warning);
            }
        });
    }

    public void OnEvent(UploadEvent uploadEvent)
    {
        if (uploadEvent is FileProgressEvent fileProgress)
        {
            _onProgress.Invoke(fileProgress);
        }

        lock (_lock)
        {
            switch (uploadEvent)
            {
                case FileStartedEvent started:
                    _heartbeat.Started(started);
                    _reporter.Line(LineImportance.High, StartLine(started));
                    break;
                case FileProgressEvent progress when _heartbeat.Update(progress) is { } line:
                    _reporter.Line(LineImportance.High, line);
                    break;
                case FileFinishedEvent finished:
                    _reporter.Line(LineImportance.High, EndLine(finished));
                    break;
                case FileSkippedEvent skipped:
                    _reporter.Line(LineImportance.High, Invariant(
                        $"Skipped {Name(skipped.Request)}: {skipped.Result.Location.AbsoluteUri} already holds the same content (ETag {skipped.Result.ETag})."));
                    break;
                case FileFailedEvent failed:
                    _failedBytesSent += failed.BytesSent;
                    _reporter.Error(Failure(failed));
                    break;
                case RequestRetriedEvent retried:
                    _reporter.Warning(new Diagnostic(DiagnosticCode.RequestRetried, Invariant(
                        $"{retried.Operation}{(retried.PartNumber is { } part ? $" of part {part}" : "")}{(retried.Request is { } request ? $" of {Name(request)}" : "")} failed; retrying in {retried.Delay.TotalSeconds:0.0} s (attempt {retried.Attempt} of {_maxAttempts}): {retried.Cause.Message}"),
                        retried.Request?.UploadFile));
                    break;
                case UploadWarningEvent warning:
                    _reporter.Warning(new Diagnostic(DiagnosticCode.For(warning.Warning), warning.Message, warning.Request?.UploadFile));
                    break;
                case SignatureChosenEvent chosen:
                    _reporter.Line(LineImportance.Normal,
                        $"Bucket {chosen.BucketName}: signing with {chosen.Signature}{(chosen.Region is null ? "" : $" in region {chosen.Region}")} ({chosen.Reason}).");
                    break;
            }
        }
    }

    /// <summary>The line that ends a call: how many files went how, and how fast.</summary>
    public void Totals(string bucket, IReadOnlyList<UploadFileOutcome> outcomes, TimeSpan elapsed)
    {
        var results = outcomes.Select(outcome => outcome.Result).OfType<CompleteMultipartUploadResult>().ToList();
        lock (_lock)
        {
            var sent = results.Sum(result => result.BytesSent) + _failedBytesSent;
            _reporter.Line(LineImportance.High, Invariant(
                $"Uploaded {results.Count} of {outcomes.Count} file(s) ({ByteSize.Format(results.Sum(result => result.Size))}) to bucket {bucket} in {elapsed.TotalSeconds:0.0} s: {results.Count(result => !result.Resumed && !result.Skipped)} uploaded, {results.Count(result => result.Resumed)} resumed, {results.Count(result => result.Skipped)} skipped, {outcomes.Count - results.Count} failed; {ByteSize.Format(sent)} sent at {ByteSize.Rate(sent / Math.Max(elapsed.TotalSeconds, 0.001))}."));
        }
    }

    private string StartLine(FileStartedEvent started)
    {
        var where = $"{Name(started.Request)} ({ByteSize.Format(started.Size)}) to {started.Request.BucketName}/{started.Request.ObjectKey}";
        if (started.PartCount == 1)
        {
            return $"Uploading {where} in one request.";
        }

        var parts = Invariant($"{started.PartCount} parts of {ByteSize.Format(started.PartSize)}");
        return started.Resumed
            ? Invariant($"Resuming {where} in {parts}: {started.PartsReused} of {started.PartCount} are already there{(started.PartsRejected > 0 ? $", {started.PartsRejected} no longer match the file and are sent again" : "")}.")
            : $"Uploading {where} in {parts}.";
    }

    private string EndLine(FileFinishedEvent finished)
    {
        var result = finished.Result;
        var seconds = Math.Max(finished.Elapsed.TotalSeconds, 0.001);
        return Invariant(
            $"Uploaded {Name(finished.Request)} to {result.Location.AbsoluteUri} in {finished.Elapsed.TotalSeconds:0.0} s at {ByteSize.Rate(result.BytesSent / seconds)}: {result.PartsUploaded} part(s) sent{(result.PartsReused > 0 ? $", {result.PartsReused} kept from an earlier run" : "")}; ETag {result.ETag}.");
    }

    private Diagnostic Failure(FileFailedEvent failed)
    {
        var error = failed.Error;
        var requestId = error.RequestId is null ? "" : $" (request id {error.RequestId})";
        var next = failed.Resumable ? $" The next run resumes from the checkpoint '{failed.Request.CheckpointFile}'." : "";
        var code = DiagnosticCode.For(error);
        var origin = code == DiagnosticCode.CredentialsRejected || code == DiagnosticCode.AccessDenied ? " " + _credentialOrigin : "";
        return new Diagnostic(code,
            $"Uploading {Name(failed.Request)} to {failed.Request.BucketName}/{failed.Request.ObjectKey} failed: {error.Message}{requestId}{origin}{next}",
            failed.Request.UploadFile);
    }

    private string Name(UploadFileRequest request) => _names.GetValueOrDefault(request) ?? request.UploadFile;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
