using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ObsBuildTasks.MSBuild;

/// <summary>Turns what the engine says and returns into MSBuild messages, coded errors and warnings.</summary>
internal sealed class UploadDiagnostics
{
    private readonly TaskLoggingHelper _log;

    public UploadDiagnostics(TaskLoggingHelper log) => _log = log;

    /// <summary>The engine's own messages: detail at low importance, trouble it recovered from as warnings.</summary>
    public void OnEngineMessage(ObsLogLevel level, string message)
    {
        if (level == ObsLogLevel.Warning)
        {
            _log.LogWarningWithCodeFromResources(nameof(Strings.EngineWarning), message);
        }
        else
        {
            _log.LogMessage(MessageImportance.Low, message);
        }
    }

    /// <summary>An input the engine rejected before sending anything.</summary>
    public void Rejected(ObsValidationException exception) =>
        _log.LogErrorWithCodeFromResources(ResourceFor(exception.Error), exception.Reason);

    public void Cancelled(UploadPlan plan)
    {
        if (plan.CheckpointDirectory is null)
        {
            _log.LogWarningWithCodeFromResources(nameof(Strings.CancelledWithoutCheckpoint));
        }
        else
        {
            _log.LogWarningWithCodeFromResources(nameof(Strings.Cancelled), plan.CheckpointDirectory);
        }
    }

    /// <summary>Logs each file's outcome and the summary; returns the items of the files that are on the server.</summary>
    public ITaskItem[] Report(UploadPlan plan, IReadOnlyList<UploadFileOutcome> outcomes, TimeSpan elapsed)
    {
        var uploaded = new List<ITaskItem>();
        var results = new List<CompleteMultipartUploadResult>();
        for (var index = 0; index < outcomes.Count; index++)
        {
            var file = plan.Items[index].ItemSpec;
            if (outcomes[index] is { Result: { } result })
            {
                uploaded.Add(UploadedItems.Create(plan.Items[index], result));
                results.Add(result);
                Succeeded(file, result);
            }
            else
            {
                Failed(file, outcomes[index].Request, outcomes[index].Error!);
            }
        }

        _log.LogMessageFromResources(MessageImportance.High, nameof(Strings.Summary), results.Count, ByteSize.Format(results.Sum(r => r.Size)),
            plan.Bucket, elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
            results.Count(r => !r.Resumed && !r.Skipped), results.Count(r => r.Resumed), results.Count(r => r.Skipped),
            ByteSize.Format(results.Sum(r => r.BytesSent)));
        return [.. uploaded];
    }

    private void Succeeded(string file, CompleteMultipartUploadResult result)
    {
        var url = result.Location.AbsoluteUri;
        if (result.Skipped)
        {
            _log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.FileSkipped), file, url, result.ETag);
        }
        else if (result.Resumed)
        {
            _log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.FileResumed), file, url, ByteSize.Format(result.Size),
                result.PartCount, result.PartsReused, result.ETag);
        }
        else
        {
            _log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.FileUploaded), file, url, ByteSize.Format(result.Size),
                result.PartCount, result.ETag);
        }
    }

    private void Failed(string file, UploadFileRequest request, ObsException error)
    {
        var requestId = error.RequestId is null ? "" : _log.FormatResourceString(nameof(Strings.RequestIdSuffix), error.RequestId);
        _log.LogErrorWithCodeFromResources(ResourceFor(error), file, request.BucketName, request.ObjectKey, error.Message, requestId);
    }

    private static string ResourceFor(ObsValidationError error) => error switch
    {
        ObsValidationError.FileNotFound => nameof(Strings.FileNotFound),
        ObsValidationError.NotAFile => nameof(Strings.NotAFile),
        ObsValidationError.PartSizeOutOfRange => nameof(Strings.PartSizeOutOfRange),
        ObsValidationError.TaskNumOutOfRange => nameof(Strings.TaskNumOutOfRange),
        ObsValidationError.InvalidBucketName => nameof(Strings.InvalidBucketName),
        ObsValidationError.InvalidObjectKey => nameof(Strings.InvalidObjectKey),
        ObsValidationError.InvalidMetadata => nameof(Strings.InvalidMetadata),
        ObsValidationError.InvalidHeader => nameof(Strings.InvalidHeader),
        ObsValidationError.MissingCredentials => nameof(Strings.MissingCredentials),
        ObsValidationError.InvalidEndpoint => nameof(Strings.InvalidEndpoint),
        _ => nameof(Strings.InvalidOption),
    };

    private static string ResourceFor(ObsException error) => error switch
    {
        { ErrorCode: ObsErrorCodes.CheckpointInUse } => nameof(Strings.CheckpointInUse),
        { ErrorCode: ObsErrorCodes.LocalFileError } => nameof(Strings.LocalFileError),
        { StatusCode: null } => nameof(Strings.NoAnswer),
        { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" } => nameof(Strings.CredentialsRejected),
        { ErrorCode: "AccessDenied" } => nameof(Strings.AccessDenied),
        { ErrorCode: "NoSuchBucket" } => nameof(Strings.NoSuchBucket),
        { ErrorCode: ObsErrorCodes.ETagMismatch } => nameof(Strings.ContentMismatch),
        _ => nameof(Strings.UploadFailed),
    };
}
