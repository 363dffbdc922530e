using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ObsBuildTasks.MSBuild;

/// <summary>
/// Uploads files to Huawei Cloud OBS or an S3-compatible store: in parts, with up to <see cref="TaskNum"/> requests in
/// flight across all files, resuming after a cancelled or failed build from checkpoints under
/// <see cref="CheckpointDirectory"/>.
/// </summary>
/// <remarks>
/// Credentials come only from the environment (<c>OBS_ACCESS_KEY_ID</c>, <c>OBS_SECRET_ACCESS_KEY</c>,
/// <c>OBS_SECURITY_TOKEN</c>): task parameters are recorded in binary logs. The node is yielded while the files go up.
/// </remarks>
/// <example>
/// <code><![CDATA[<ObsUploadFile Bucket="releases" Files="@(Artifacts)" ObjectKeyPrefix="app/$(Version)/" TaskNum="5" />]]></code>
/// </example>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "MSBuild never disposes tasks, and Cancel() may come after Execute(); a CancellationTokenSource without a timer holds nothing that needs releasing.")]
public sealed class ObsUploadFile : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Creates the task with its message resources.</summary>
    public ObsUploadFile()
        : base(Strings.ResourceManager, "ObsBuildTasks.")
    {
    }

    /// <summary>The bucket to upload to.</summary>
    [Required]
    public string Bucket { get; set; } = "";

    /// <summary>The files. Metadata <c>ObjectKey</c> sets a file's whole key; <c>ContentType</c> its content type.</summary>
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

    /// <summary>Send <c>Content-MD5</c> with every part so the service rejects damaged bodies. Default false.</summary>
    public bool CheckSum { get; set; }

    /// <summary>User metadata for every object: <c>name=value;name2=value2</c>. Default: none.</summary>
    public string? Metadata { get; set; }

    /// <summary>The content type for files without <c>ContentType</c> metadata. Default: guessed from the extension.</summary>
    public string? ContentType { get; set; }

    /// <summary>A canned ACL such as <c>private</c> or <c>public-read</c>. Default: the bucket's.</summary>
    public string? Acl { get; set; }

    /// <summary>The storage class, e.g. <c>STANDARD</c>, <c>WARM</c> or <c>COLD</c>. Default: the bucket's.</summary>
    public string? StorageClass { get; set; }

    /// <summary>How requests are signed: <c>Obs</c> (default), <c>V4</c> or <c>V2</c>.</summary>
    public string? Signature { get; set; }

    /// <summary>The region for V4 signing. Default <c>us-east-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>Send nothing for a file whose stored object already has its size and content hash. Default false.</summary>
    public bool SkipUnchanged { get; set; }

    /// <summary>One item per uploaded file, with the input's metadata plus <c>Bucket</c>, <c>ObjectKey</c>, <c>ETag</c>,
    /// <c>VersionId</c>, <c>Url</c>, <c>RequestId</c>, <c>Size</c>, <c>PartCount</c>, <c>PartsReused</c>,
    /// <c>BytesSent</c>, <c>Resumed</c> and <c>Skipped</c>.</summary>
    [Output]
    public ITaskItem[] UploadedFiles { get; private set; } = [];

    /// <summary>Stops the upload quickly; checkpoints let the next build resume.</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public override bool Execute()
    {
        if (Files.Length == 0)
        {
            Log.LogMessageFromResources(MessageImportance.Normal, nameof(Strings.NoFiles));
            return true;
        }

        // Everything that depends on the environment or the current directory is read now: once the node is
        // yielded, other projects may build on it and change both.
        var diagnostics = new UploadDiagnostics(Log);
        var plan = UploadPlan.Create(this, Log, diagnostics.OnEngineMessage, new ProgressLog(Log));
        if (plan is null)
        {
            return false;
        }

        try
        {
            using var client = new ObsClient(plan.ClientOptions);
            var clock = Stopwatch.StartNew();
            if (Upload(client, plan, diagnostics) is not { } outcomes)
            {
                return false;
            }

            UploadedFiles = diagnostics.Report(plan, outcomes, clock.Elapsed);
        }
        catch (ObsValidationException exception)
        {
            diagnostics.Rejected(exception);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Runs the uploads with the node yielded; <see langword="null"/> when cancelled.</summary>
    private IReadOnlyList<UploadFileOutcome>? Upload(ObsClient client, UploadPlan plan, UploadDiagnostics diagnostics)
    {
        using (new YieldedNode(BuildEngine))
        {
            try
            {
                return client.UploadFilesAsync(plan.Requests, TaskNum, _cancellation.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                // Logged while still yielded: reacquiring a cancelled build throws MSBuild's BuildAbortedException.
                diagnostics.Cancelled(plan);
                return null;
            }
        }
    }
}
