using Cake.Core.IO;
using ObsBuildTasks;

namespace Cake.ObsBuildTasks;

/// <summary>
/// How <see cref="ObsAliases.ObsUploadFile(Cake.Core.ICakeContext, string, FilePath, ObsUploadFileSettings?)"/> connects
/// and uploads. The same options as the MSBuild task <c>ObsUploadFile</c>, plus optional explicit credentials.
/// </summary>
/// <example>
/// <code>
/// var settings = new ObsUploadFileSettings
/// {
///     Endpoint = "https://obs.cn-north-4.myhuaweicloud.com",
///     ObjectKeyPrefix = $"releases/{version}/",
///     BaseDirectory = "./artifacts",
///     TaskNum = 5,
///     Metadata = { ["commit"] = commitSha },
/// };
/// </code>
/// </example>
public sealed class ObsUploadFileSettings
{
    /// <summary>The service endpoint, e.g. <c>https://obs.cn-north-4.myhuaweicloud.com</c>. Default: the environment
    /// variable <c>OBS_ENDPOINT</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The access key id. Default: the environment variable <c>OBS_ACCESS_KEY_ID</c>.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key. Default: the environment variable <c>OBS_SECRET_ACCESS_KEY</c>. Never logged, never written to a checkpoint.
    /// Prefer the environment variable (a CI secret) to a value in the script.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>The security token of temporary credentials. Default: the environment variable <c>OBS_SECURITY_TOKEN</c>.
    /// Never logged.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>The signature scheme. Default <see cref="SignatureType.Auto"/>: negotiated with the service (one
    /// protocol probe per bucket, as Huawei's SDKs do). <see cref="SignatureType.Obs"/>, <see cref="SignatureType.V4"/>
    /// and <see cref="SignatureType.V2"/> skip the probe.</summary>
    public SignatureType Signature { get; set; } = SignatureType.Auto;

    /// <summary>The region for V4 signing. Default: the one the service names, else <c>us-east-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>Address buckets as <c>endpoint/bucket/key</c> (<see langword="true"/>) or <c>bucket.endpoint/key</c>
    /// (<see langword="false"/>). Default <see langword="null"/>: path style for IP addresses and <c>localhost</c>.</summary>
    public bool? PathStyle { get; set; }

    /// <summary>Put in front of every object key, as given (end it with <c>/</c> for a folder). Default: none.</summary>
    public string? ObjectKeyPrefix { get; set; }

    /// <summary>When set, a file's key is its path relative to this directory (forward slashes), so a glob such as
    /// <c>./artifacts/**/*</c> keeps its folder structure; every file must lie under it. Default: none, the key is the
    /// file name alone. Either way the key is prefixed with <see cref="ObjectKeyPrefix"/>.</summary>
    public DirectoryPath? BaseDirectory { get; set; }

    /// <summary>Bytes per part, 100 KiB..5 GiB. Default: 9 MiB. Grown automatically when a file would need more than
    /// 10,000 parts; a file no larger than one part goes up in a single request.</summary>
    public long PartSize { get; set; } = UploadFileRequest.DefaultPartSize;

    /// <summary>How many requests are in flight at once, across all files of one call, 1..100. Default: 1.</summary>
    public int TaskNum { get; set; } = 1;

    /// <summary>Record finished parts so that a failed or killed build resumes where it stopped. Default: true. When
    /// false, a failed upload is aborted on the server.</summary>
    public bool EnableCheckpoint { get; set; } = true;

    /// <summary>Where checkpoints live: one file per file, endpoint, bucket and key. Default: <c>./obj/obs/</c> under
    /// the working directory.</summary>
    public DirectoryPath? CheckpointDirectory { get; set; }

    /// <summary>Accepted for scripts written for Huawei's SDK; has no effect: every part and object goes with its
    /// <c>Content-MD5</c>, and every ETag is checked against it.</summary>
    public bool CheckSum { get; set; }

    /// <summary>User metadata stored with every object (<c>x-obs-meta-*</c> / <c>x-amz-meta-*</c>): printable ASCII,
    /// 8 KiB in all.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The objects' <c>Content-Type</c>. Default: guessed from each file's extension.</summary>
    public string? ContentType { get; set; }

    /// <summary>A canned ACL such as <c>private</c> or <c>public-read</c>. Default: the bucket's.</summary>
    public string? Acl { get; set; }

    /// <summary>The storage class, e.g. <c>STANDARD</c>, <c>WARM</c> or <c>COLD</c>. Default: the bucket's.</summary>
    public string? StorageClass { get; set; }

    /// <summary>Send nothing for a file whose stored object already has its size and content hash. Default: false.</summary>
    public bool SkipUnchanged { get; set; }

    /// <summary>How often a failed request is retried when the failure is transient (a dropped connection, an idle
    /// attempt, a 5xx, throttling, a damaged answer), 0..20. Default: 4.</summary>
    public int MaxRetries { get; set; } = ObsClientOptions.DefaultMaxRetries;

    /// <summary>An attempt is abandoned (and retried) when it makes no progress for this long (a chunk of the body sent,
    /// 1 KiB of the answer received), 1 s..1 h; a slow but steady transfer is never cut, a trickling answer is. Default:
    /// 30 seconds.</summary>
    public TimeSpan IdleTimeout { get; set; } = ObsClientOptions.DefaultIdleTimeout;

    /// <summary>The least time between two progress lines of the call (percent, speed, time left) at Information
    /// verbosity; <see cref="TimeSpan.Zero"/> turns them off. Default: 15 seconds.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Upload in Cake's own process instead of the <c>obs-uploader</c> process the addin ships (for diagnosis).
    /// Default: false.</summary>
    public bool InProcess { get; set; }

    /// <summary>Told how far each file has come (about once a second), e.g. to drive a progress display of your own.
    /// Runs outside the transfer. If it throws, the upload and the progress lines go on, and the call's first failure
    /// is logged as warning <c>OBS0046</c>. Default: none.</summary>
    public Action<FileProgressEvent>? OnProgress { get; set; }
}
