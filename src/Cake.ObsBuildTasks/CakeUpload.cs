using System.Runtime.InteropServices;
using Cake.Core;
using Cake.Core.IO;
using ObsBuildTasks;
using ObsBuildTasks.FrontEnd;

namespace Cake.ObsBuildTasks;

/// <summary>One alias call: translates the settings and files for the shared core, runs it (cancelled by SIGINT or
/// SIGTERM), and turns what went wrong into one <see cref="CakeException"/>.</summary>
internal static class CakeUpload
{
    public static IReadOnlyList<CompleteMultipartUploadResult> Run(ICakeContext context, string bucket, IEnumerable<FilePath> files,
        ObsUploadFileSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(files);
        settings ??= new ObsUploadFileSettings();
        var workingDirectory = context.Environment.WorkingDirectory.FullPath;
        var given = files.ToList();
        var specs = given.OfType<FilePath>().Select(file => file.MakeAbsolute(context.Environment).FullPath).Distinct()
            .Select(path => new UploadFileSpec(path)).ToList();
        var environment = new UploadEnvironment(context.Environment.GetEnvironmentVariable);
        var job = UploadJob.Prepare(Translate(bucket, settings, context.Environment), specs, environment, workingDirectory, out var problems);
        var nulls = NullFiles(given);
        if (job is null || nulls.Count > 0)
        {
            throw new CakeException($"Cannot upload to OBS bucket '{bucket}':{Lines([.. nulls, .. problems])}");
        }

        var reporter = new CakeLogReporter(context.Log);
        UploadJobResult result;
        using (var signals = new SignalCancellation([PosixSignal.SIGINT, PosixSignal.SIGTERM], signal => reporter.Line(LineImportance.High,
            $"{signal} received: stopping the upload to OBS bucket '{bucket}'. A second signal ends the build at once, without cleaning up.")))
        {
            // Aliases are synchronous and scripts run without a synchronization context, so blocking is safe here.
            result = job.RunAsync(reporter, signals.Token).GetAwaiter().GetResult();
        }

        if (result.Cancellation is { } cancellation)
        {
            throw new CakeException($"The upload to OBS bucket '{bucket}' was cancelled:{Lines([.. reporter.Errors, cancellation])}");
        }

        if (reporter.Errors.Count > 0)
        {
            var failed = result.Outcomes.Count(outcome => !outcome.Succeeded);
            throw new CakeException($"Could not upload {failed} of {job.Requests.Count} file(s) to OBS bucket '{bucket}':{Lines(reporter.Errors)}");
        }

        return [.. result.Outcomes.Select(outcome => outcome.Result!)];
    }

    /// <summary>A coded problem for each <see langword="null"/> in the files given (a list built from an expression that
    /// found nothing, say), reported with the other input problems rather than as a bare exception.</summary>
    private static List<Diagnostic> NullFiles(List<FilePath> given) =>
        [.. given.Select((file, index) => (file, index)).Where(entry => entry.file is null).Select(entry => new Diagnostic(DiagnosticCode.FileNotFound,
            $"No file to upload was given: file {entry.index + 1} of the {given.Count} given is null. Leave it out of the list, or check what made it."))];

    private static UploadSettings Translate(string bucket, ObsUploadFileSettings settings, ICakeEnvironment environment) => new()
    {
        Bucket = bucket,
        Endpoint = settings.Endpoint,
        AccessKeyId = settings.AccessKeyId,
        SecretAccessKey = settings.SecretAccessKey,
        SecurityToken = settings.SecurityToken,
        ObjectKeyPrefix = settings.ObjectKeyPrefix,
        BaseDirectory = settings.BaseDirectory?.MakeAbsolute(environment).FullPath,
        PartSize = settings.PartSize,
        TaskNum = settings.TaskNum,
        EnableCheckpoint = settings.EnableCheckpoint,
        CheckpointDirectory = settings.CheckpointDirectory?.MakeAbsolute(environment).FullPath,
        CheckSum = settings.CheckSum,
        Metadata = new Dictionary<string, string>(settings.Metadata, StringComparer.OrdinalIgnoreCase),
        ContentType = settings.ContentType,
        Acl = settings.Acl,
        StorageClass = settings.StorageClass,
        Signature = settings.Signature.ToString(),
        Region = settings.Region,
        PathStyle = settings.PathStyle?.ToString(),
        SkipUnchanged = settings.SkipUnchanged,
        MaxRetries = settings.MaxRetries,
        IdleTimeoutSeconds = settings.IdleTimeout.TotalSeconds,
        HeartbeatSeconds = settings.ProgressInterval.TotalSeconds,
        OnProgress = settings.OnProgress,
        InProcess = settings.InProcess,
    };

    private static string Lines(IEnumerable<Diagnostic> diagnostics) =>
        string.Concat(diagnostics.Select(diagnostic => Environment.NewLine + "  " + CakeLogReporter.Format(diagnostic)));
}
