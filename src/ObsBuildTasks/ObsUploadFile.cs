using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Microsoft.Build.Framework;
using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.MSBuild;

/// <summary>
/// Uploads files to Huawei Cloud OBS or an S3-compatible store: in parts, with up to <see cref="TaskNum"/> requests in
/// flight across all files, resuming after a cancelled or failed build from checkpoints under
/// <see cref="CheckpointDirectory"/>. Every error and warning has an <c>OBSnnnn</c> code explained in docs/errors.md.
/// </summary>
/// <remarks>
/// Credentials come only from the environment (<c>OBS_ACCESS_KEY_ID</c>, <c>OBS_SECRET_ACCESS_KEY</c>,
/// <c>OBS_SECURITY_TOKEN</c>): task parameters are recorded in binary logs. The node is yielded while the files go up.
/// Ctrl+C (MSBuild's cancellation) and, while the task runs, a SIGTERM to its process stop the upload the same way: the
/// checkpoint is kept, or the unfinished uploads are aborted when checkpoints are off.
/// </remarks>
/// <example>
/// <code><![CDATA[<ObsUploadFile Bucket="releases" Files="@(Artifacts)" ObjectKeyPrefix="app/$(Version)/" TaskNum="5" />]]></code>
/// </example>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "MSBuild never disposes tasks, and Cancel() may come after Execute(); a CancellationTokenSource without a timer holds nothing that needs releasing.")]
public sealed class ObsUploadFile : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The bucket to upload to.</summary>
    [Required]
    public string Bucket { get; set; } = "";

    /// <summary>The files. Metadata <c>ObjectKey</c> sets a file's whole key; <c>ContentType</c> its content type. An item
    /// that names a folder and has <c>FileMatch</c> metadata stands for the files in it that match (see
    /// <c>ObsArtifact</c> items).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>The service endpoint, e.g. <c>https://obs.cn-north-4.myhuaweicloud.com</c>. Default: <c>OBS_ENDPOINT</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Put before <c>%(RecursiveDir)%(Filename)%(Extension)</c> to make a key, e.g. <c>app/1.0/</c>. Default: none.</summary>
    public string? ObjectKeyPrefix { get; set; }

    /// <summary>Bytes per part, 100 KiB..5 GiB. Default 9 MiB.</summary>
    public long PartSize { get; set; } = UploadFileRequest.DefaultPartSize;

    /// <summary>Requests in flight at once across all files, 1..100. Default 1.</summary>
    public int TaskNum { get; set; } = 1;

    /// <summary>Record finished parts so that the next build resumes an interrupted upload. Default true.</summary>
    public bool EnableCheckpoint { get; set; } = true;

    /// <summary>Where checkpoints live. Default <c>obj/obs/</c> under the project folder.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Accepted for projects written for Huawei's SDK; has no effect: every part and object goes with its
    /// <c>Content-MD5</c>, and every ETag is checked against it.</summary>
    public bool CheckSum { get; set; }

    /// <summary>User metadata for every object: <c>name=value;name2=value2</c>. Default: none.</summary>
    public string? Metadata { get; set; }

    /// <summary>The content type for files without <c>ContentType</c> metadata. Default: guessed from the extension.</summary>
    public string? ContentType { get; set; }

    /// <summary>A canned ACL such as <c>private</c> or <c>public-read</c>. Default: the bucket's.</summary>
    public string? Acl { get; set; }

    /// <summary>The storage class, e.g. <c>STANDARD</c>, <c>WARM</c> or <c>COLD</c>. Default: the bucket's.</summary>
    public string? StorageClass { get; set; }

    /// <summary>How requests are signed: <c>Auto</c> (default: negotiated with the service), <c>Obs</c>, <c>V4</c> or <c>V2</c>.</summary>
    public string? Signature { get; set; }

    /// <summary>The region for V4 signing. Default: the one the service names, else <c>us-east-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary><c>Auto</c> (default: path style for IP addresses and localhost), <c>true</c> or <c>false</c>.</summary>
    public string? PathStyle { get; set; }

    /// <summary>Send nothing for a file whose stored object already has its size and content hash. Default false.</summary>
    public bool SkipUnchanged { get; set; }

    /// <summary>How often a failed request is retried when the failure is transient, 0..20. Default 4.</summary>
    public int MaxRetries { get; set; } = ObsClientOptions.DefaultMaxRetries;

    /// <summary>Seconds without progress (a chunk of the body sent, 1 KiB of the answer received) before an attempt is
    /// abandoned, 1..3600. Default 30.</summary>
    public double IdleTimeout { get; set; } = ObsClientOptions.DefaultIdleTimeout.TotalSeconds;

    /// <summary>The least seconds between two progress lines; 0 turns them off. Default 15.</summary>
    public double ProgressInterval { get; set; } = UploadSettings.DefaultHeartbeatSeconds;

    /// <summary>Upload in the build's own process instead of the <c>obs-uploader</c> process the package ships (for
    /// diagnosis). Default false.</summary>
    public bool InProcess { get; set; }

    /// <summary>One item per uploaded file, with the input's metadata (<c>RecursiveDir</c> included) plus <c>Bucket</c>,
    /// <c>ObjectKey</c>, <c>ETag</c>, <c>VersionId</c>, <c>Url</c>, <c>RequestId</c>, <c>Size</c>, <c>PartCount</c>,
    /// <c>PartsReused</c>, <c>BytesSent</c>, <c>Resumed</c> and <c>Skipped</c>.</summary>
    [Output]
    public ITaskItem[] UploadedFiles { get; private set; } = [];

    /// <summary>Stops the upload quickly; checkpoints let the next build resume.</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public override bool Execute()
    {
        // Everything that depends on the environment or the current directory is read now: once the node is yielded,
        // other projects may build on it and change both.
        var reporter = new BuildLogReporter(Log, BuildEngine);
        var files = ArtifactFolders.Expand(Files);
        var job = UploadJob.Prepare(Settings(), files.Select(Spec).ToList(), UploadEnvironment.Process, Directory.GetCurrentDirectory(), out var problems);
        if (job is null)
        {
            foreach (var problem in problems)
            {
                reporter.Error(problem);
            }

            return false;
        }

        // Disposed last: a SIGTERM's handler holds the host's own handling (the .NET CLI ends the process) until the
        // upload has cleaned up and the outcome is logged.
        using var signals = new SignalCancellation([PosixSignal.SIGTERM], signal => reporter.Line(LineImportance.High,
            $"{signal} received: stopping the upload to OBS bucket '{Bucket}'. A second signal ends the build at once, without cleaning up."));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_cancellation.Token, signals.Token);
        UploadJobResult result;
        using (new YieldedNode(BuildEngine))
        {
            result = job.RunAsync(reporter, cancellation.Token).GetAwaiter().GetResult();
            // Before the node is taken back: a cancelled build drops what its tasks log once they hold the node again.
            ReportCancellation(result, reporter);
        }

        UploadedFiles = UploadedItems.Create(files, result.Outcomes);
        // Not HasLoggedErrors: a warning promoted to an error (MSBuildTreatWarningsAsErrors) counts there, and a retry
        // that succeeded must not turn uploaded files into a failed task whose outputs are dropped.
        return result.Succeeded;
    }

    /// <summary>MSBuild's own cancellation (Ctrl+C) fails the build by itself, so it is told as a warning; a signal that
    /// only this task saw must fail the build, so it is an error.</summary>
    private void ReportCancellation(UploadJobResult result, BuildLogReporter reporter)
    {
        if (result.Cancellation is not { } cancellation)
        {
            return;
        }

        if (_cancellation.IsCancellationRequested)
        {
            reporter.Warning(cancellation);
        }
        else
        {
            reporter.Error(cancellation);
        }
    }

    private UploadSettings Settings() => new()
    {
        Bucket = Bucket,
        Endpoint = Endpoint,
        ObjectKeyPrefix = ObjectKeyPrefix,
        PartSize = PartSize,
        TaskNum = TaskNum,
        EnableCheckpoint = EnableCheckpoint,
        CheckpointDirectory = CheckpointDirectory,
        CheckSum = CheckSum,
        MetadataText = Metadata,
        ContentType = ContentType,
        Acl = Acl,
        StorageClass = StorageClass,
        Signature = Signature,
        Region = Region,
        PathStyle = PathStyle,
        SkipUnchanged = SkipUnchanged,
        MaxRetries = MaxRetries,
        IdleTimeoutSeconds = IdleTimeout,
        HeartbeatSeconds = ProgressInterval,
        InProcess = InProcess,
    };

    private static UploadFileSpec Spec(ITaskItem item) => new(item.ItemSpec, NullIfEmpty(item.GetMetadata("ObjectKey")),
        item.GetMetadata("RecursiveDir"), NullIfEmpty(item.GetMetadata("ContentType")));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
