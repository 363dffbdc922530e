namespace ObsBuildTasks;

/// <summary>Where and how an <see cref="ObsClient"/> connects. Validated when the client is created.</summary>
public sealed class ObsClientOptions
{
    /// <summary>The service endpoint, e.g. <c>https://obs.cn-north-4.myhuaweicloud.com</c> or <c>http://127.0.0.1:9000</c>.
    /// A host without a scheme means HTTPS.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The access key id (<c>OBS_ACCESS_KEY_ID</c>).</summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>The secret access key (<c>OBS_SECRET_ACCESS_KEY</c>). Never logged, never written to a checkpoint.</summary>
    public string SecretAccessKey { get; set; } = "";

    /// <summary>The security token of temporary credentials (<c>OBS_SECURITY_TOKEN</c>), or <see langword="null"/>.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>The signature scheme. Default <see cref="SignatureType.Obs"/>; use <see cref="SignatureType.V4"/>
    /// or <see cref="SignatureType.V2"/> for other S3-compatible stores.</summary>
    public SignatureType Signature { get; set; } = SignatureType.Obs;

    /// <summary>The region used by <see cref="SignatureType.V4"/> signing. Default <c>us-east-1</c>.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Address buckets as <c>endpoint/bucket/key</c> instead of <c>bucket.endpoint/key</c>.
    /// <see langword="null"/> (the default) chooses path style for IP addresses and <c>localhost</c>.</summary>
    public bool? PathStyle { get; set; }

    /// <summary>How many times a failed request is retried when the failure is transient. Default 5, range 0..20.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The delay before the first retry; later ones grow exponentially with jitter. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>An attempt is abandoned (and retried) when no byte moves for this long, whether sending the body or
    /// waiting for the answer. Default 2 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Receives what the client does (retries, resumes, parts); <see langword="null"/> for silence.
    /// Messages never contain credentials.</summary>
    public Action<ObsLogLevel, string>? Log { get; set; }
}
