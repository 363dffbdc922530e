using System.Diagnostics;
using ObsBuildTasks.FrontEnd.OutOfProcess;
using ObsBuildTasks.Validation;

namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// One front-end call, prepared once for both front ends: settings and the environment resolved, every file given its
/// key, request and checkpoint, and every problem found before anything is sent (all of them at once). Running it
/// uploads the files with the call's <c>TaskNum</c> and narrates what happens through an <see cref="IUploadReporter"/>:
/// in the <c>obs-uploader</c> process where it can run (<see cref="UploaderProcess"/>), otherwise in this process.
/// </summary>
internal sealed class UploadJob
{
    private readonly IReadOnlyDictionary<UploadFileRequest, string> _names;
    private readonly UploadSettings _settings;
    private readonly string _credentialOrigin;

    private UploadJob(UploadSettings settings, ObsClientOptions clientOptions, IReadOnlyList<UploadFileRequest> requests,
        IReadOnlyDictionary<UploadFileRequest, string> names, string? checkpointDirectory, string credentialOrigin, UploadOrder order)
    {
        _settings = settings;
        Order = order;
        _credentialOrigin = credentialOrigin;
        ClientOptions = clientOptions;
        Requests = requests;
        _names = names;
        CheckpointDirectory = checkpointDirectory;
    }

    public string Bucket => _settings.Bucket;

    public ObsClientOptions ClientOptions { get; }

    /// <summary>One request per file, in the order the files were given.</summary>
    public IReadOnlyList<UploadFileRequest> Requests { get; }

    /// <summary>The full path of the checkpoint folder, or <see langword="null"/> when checkpoints are off.</summary>
    public string? CheckpointDirectory { get; }

    /// <summary>This call as the uploader process is asked to run it.</summary>
    public UploadOrder Order { get; }

    /// <summary>The caller's progress callback, or <see langword="null"/>.</summary>
    public Action<FileProgressEvent>? OnProgress => _settings.OnProgress;

    /// <summary>Prepares a call, or lists everything that is wrong with it.</summary>
    /// <param name="settings">What the user asked for.</param>
    /// <param name="files">The files to upload.</param>
    /// <param name="environment">Where unset endpoint, credentials and proxy come from.</param>
    /// <param name="baseFolder">What relative paths are relative to: the project folder, or the working directory.</param>
    /// <param name="problems">Every problem found; empty when the job is returned.</param>
    public static UploadJob? Prepare(UploadSettings settings, IReadOnlyList<UploadFileSpec> files, UploadEnvironment environment, string baseFolder,
        out IReadOnlyList<Diagnostic> problems)
    {
        var found = new List<Diagnostic>();
        problems = found;
        // What the uploader process is told to read (UploadOrder.Environment).
        var read = new Dictionary<string, string?>(StringComparer.Ordinal);
        var recorded = new UploadEnvironment(name => read[name] = environment.Variable(name));
        var absolute = files.Select(file => file with { Path = Path.GetFullPath(Path.Combine(baseFolder, file.Path)) }).ToList();
        var options = ResolveClientOptions(settings, recorded, found);
        var keys = ObjectKeys.For(absolute, settings, baseFolder, found);
        var metadata = UploadSettingsParser.Metadata(settings, found);
        var checkpointDirectory = settings.EnableCheckpoint
            ? Path.GetFullPath(Path.Combine(baseFolder, string.IsNullOrWhiteSpace(settings.CheckpointDirectory) ? Path.Combine("obj", "obs") : settings.CheckpointDirectory))
            : null;
        var progressInterval = TimeSpan.FromSeconds(Math.Clamp(UploadSettingsParser.Heartbeat(settings, found).TotalSeconds / 2, 0.05, 1));
        var requests = absolute.Select((file, index) => Request(settings, file, keys[index], metadata, checkpointDirectory, options.Endpoint, progressInterval))
            .ToList();
        // A missing endpoint is already reported (OBS0001); the engine would call it invalid too.
        found.AddRange(UploadValidator.Check(options)
            .Where(failure => options.Endpoint.Length > 0 || failure.Error != ObsValidationError.InvalidEndpoint)
            .Select(failure => new Diagnostic(DiagnosticCode.For(failure.Error), failure.Message)));

        found.AddRange(requests.SelectMany(request => UploadValidator.Check(request)
            .Select(failure => new Diagnostic(DiagnosticCode.For(failure.Error), failure.Message, request.UploadFile))));
        if (UploadValidator.CheckTaskNum(settings.TaskNum) is { } taskNum && requests.Count == 0)
        {
            found.Add(new Diagnostic(DiagnosticCode.For(taskNum.Error), taskNum.Message));
        }

        problems = found.DistinctBy(problem => (problem.Code, problem.Message)).ToList();
        if (problems.Count > 0)
        {
            return null;
        }

        var names = requests.ToDictionary(request => request, request => DisplayName(request.UploadFile, baseFolder));
        var order = new UploadOrder(settings with { OnProgress = null }, files, baseFolder, read, ReportProgress: settings.OnProgress is not null);
        return new UploadJob(settings, options, requests, names, checkpointDirectory, CredentialOrigin(settings), order);
    }

    /// <summary>Uploads the files, narrating to <paramref name="reporter"/>; never throws for a failed file (each is an
    /// outcome and a coded error) nor for cancellation (returned as <see cref="UploadJobResult.Cancellation"/>, for the
    /// front end to report as its host expects). Runs in the <c>obs-uploader</c> process unless
    /// <see cref="UploadSettings.InProcess"/> is set or that process cannot start here.</summary>
    public async Task<UploadJobResult> RunAsync(IUploadReporter reporter, CancellationToken cancellationToken)
    {
        if (Requests.Count > 0 && !_settings.InProcess)
        {
            var uploader = UploaderProcess.Find(out var whyNot);
            if (uploader is not null && await uploader.RunAsync(this, reporter, cancellationToken).ConfigureAwait(false) is { } result)
            {
                return result;
            }

            if (whyNot is not null)
            {
                reporter.Line(LineImportance.Low, $"{whyNot}: uploading in this process.");
            }
        }

        return await RunHereAsync(reporter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads the files in this process, narrating to <paramref name="reporter"/> (see <see cref="RunAsync"/>).</summary>
    public async Task<UploadJobResult> RunHereAsync(IUploadReporter reporter, CancellationToken cancellationToken)
    {
        if (Requests.Count == 0)
        {
            reporter.Warning(new Diagnostic(DiagnosticCode.NoFiles, $"No files were given to upload to bucket {Bucket}: check the item list or the file pattern."));
            return new UploadJobResult([], Cancellation: null);
        }

        var total = Requests.Sum(request => SizeNow(request.UploadFile));
        var narrator = new UploadNarrator(reporter, _names, new ProgressHeartbeat(TimeSpan.FromSeconds(_settings.HeartbeatSeconds), Bucket, total),
            ClientOptions.MaxRetries + 1, _settings.OnProgress, _credentialOrigin);
        ClientOptions.Observer = narrator;
        var clock = Stopwatch.StartNew();
        try
        {
            using var client = new ObsClient(ClientOptions);
            var outcomes = await client.UploadFilesAsync(Requests, _settings.TaskNum, cancellationToken).ConfigureAwait(false);
            narrator.Totals(Bucket, outcomes, clock.Elapsed);
            return new UploadJobResult(outcomes, Cancellation: null);
        }
        catch (ObsValidationException exception)
        {
            // A file that vanished between preparing and running.
            foreach (var failure in exception.Failures)
            {
                reporter.Error(new Diagnostic(DiagnosticCode.For(failure.Error), failure.Message));
            }

            return UploadJobResult.NothingRan;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var cancellation = CheckpointDirectory is null
                ? new Diagnostic(DiagnosticCode.CancelledWithoutCheckpoint,
                    "The upload was cancelled. EnableCheckpoint is false, so the unfinished uploads were aborted and the next run starts them over.")
                : new Diagnostic(DiagnosticCode.Cancelled,
                    $"The upload was cancelled. The next run resumes the unfinished files from the checkpoints in '{CheckpointDirectory}'.");
            return new UploadJobResult([], cancellation);
        }
    }

    private static ObsClientOptions ResolveClientOptions(UploadSettings settings, UploadEnvironment environment, List<Diagnostic> problems)
    {
        var endpoint = environment.Resolve(settings.Endpoint, UploadEnvironment.EndpointVariable);
        if (endpoint is null)
        {
            problems.Add(new Diagnostic(DiagnosticCode.NoEndpoint,
                $"No endpoint: set Endpoint or the {UploadEnvironment.EndpointVariable} environment variable, e.g. https://obs.cn-north-4.myhuaweicloud.com."));
        }

        var proxy = EnvironmentProxy.From(environment.Variable, out var proxyProblem);
        if (proxyProblem is not null)
        {
            problems.Add(new Diagnostic(DiagnosticCode.InvalidOption, proxyProblem));
        }

        return new ObsClientOptions
        {
            Endpoint = endpoint?.Trim() ?? "",
            AccessKeyId = environment.Resolve(settings.AccessKeyId, UploadEnvironment.AccessKeyIdVariable) ?? "",
            SecretAccessKey = environment.Resolve(settings.SecretAccessKey, UploadEnvironment.SecretAccessKeyVariable) ?? "",
            SecurityToken = environment.Resolve(settings.SecurityToken, UploadEnvironment.SecurityTokenVariable),
            Signature = UploadSettingsParser.Signature(settings, problems),
            Region = string.IsNullOrWhiteSpace(settings.Region) ? null : settings.Region.Trim(),
            PathStyle = UploadSettingsParser.PathStyle(settings, problems),
            MaxRetries = settings.MaxRetries,
            IdleTimeout = UploadSettingsParser.IdleTimeout(settings, problems),
            Proxy = proxy,
        };
    }

    /// <summary>Which setting or variable each credential came from, for a rejection's message.</summary>
    private static string CredentialOrigin(UploadSettings settings)
    {
        static string Origin(string? explicitValue, string setting, string variable) =>
            string.IsNullOrWhiteSpace(explicitValue) ? $"the environment variable {variable}" : $"the {setting} setting";

        var token = string.IsNullOrWhiteSpace(settings.SecurityToken) ? "" : $", the security token from {Origin(settings.SecurityToken, "SecurityToken", UploadEnvironment.SecurityTokenVariable)}";
        return $"Check the credentials: the access key id came from {Origin(settings.AccessKeyId, "AccessKeyId", UploadEnvironment.AccessKeyIdVariable)}, the secret access key from {Origin(settings.SecretAccessKey, "SecretAccessKey", UploadEnvironment.SecretAccessKeyVariable)}{token}.";
    }

    private static UploadFileRequest Request(UploadSettings settings, UploadFileSpec file, string key, IReadOnlyDictionary<string, string> metadata,
        string? checkpointDirectory, string endpoint, TimeSpan progressInterval)
    {
        var request = new UploadFileRequest(settings.Bucket, key, file.Path)
        {
            PartSize = settings.PartSize,
            TaskNum = settings.TaskNum,
            EnableCheckpoint = checkpointDirectory is not null,
            CheckSum = settings.CheckSum,
            SkipUnchanged = settings.SkipUnchanged,
            ProgressInterval = progressInterval,
            Headers =
            {
                ContentType = NullIfBlank(file.ContentType) ?? NullIfBlank(settings.ContentType),
                Acl = NullIfBlank(settings.Acl),
                StorageClass = NullIfBlank(settings.StorageClass),
            },
        };
        request.CheckpointFile = checkpointDirectory is null ? null : request.CheckpointFileIn(checkpointDirectory, endpoint);
        foreach (var (name, value) in metadata)
        {
            request.Metadata[name] = value;
        }

        return request;
    }

    /// <summary>A file as messages name it: relative to the base folder when it lies below it.</summary>
    private static string DisplayName(string path, string baseFolder)
    {
        var relative = Path.GetRelativePath(baseFolder, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    /// <summary>The file's size for the progress line's total; 0 for a file gone since the call was prepared (the
    /// engine then reports it with its code).</summary>
    private static long SizeNow(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>How a call went: one outcome per file (empty when nothing ran), and the coded diagnostic (<c>OBS0030</c> or
/// <c>OBS0031</c>) that says it was cancelled, or <see langword="null"/>.</summary>
internal sealed record UploadJobResult(IReadOnlyList<UploadFileOutcome> Outcomes, Diagnostic? Cancellation)
{
    /// <summary>Whether the call was cancelled.</summary>
    public bool Cancelled => Cancellation is not null;

    /// <summary>A call that failed before any file ran (the errors say why).</summary>
    public static UploadJobResult NothingRan { get; } = new([], Cancellation: null) { Failed = true };

    /// <summary>Whether the call failed as a whole, beyond what <see cref="Outcomes"/> tell.</summary>
    public bool Failed { get; init; }

    /// <summary>Whether every file is on the server.</summary>
    public bool Succeeded => !Cancelled && !Failed && Outcomes.All(outcome => outcome.Succeeded);
}
