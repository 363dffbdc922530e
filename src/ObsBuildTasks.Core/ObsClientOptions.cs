namespace ObsBuildTasks;

/// <summary>Where and how an <see cref="ObsClient"/> connects. Validated when the client is created.</summary>
public sealed class ObsClientOptions
{
    /// <summary>The default of <see cref="MaxRetries"/>.</summary>
    public const int DefaultMaxRetries = 4;

    /// <summary>The default of <see cref="IdleTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The service endpoint, e.g. <c>https://obs.cn-north-4.myhuaweicloud.com</c> or <c>http://127.0.0.1:9000</c>.
    /// A host without a scheme means HTTPS.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The access key id (<c>OBS_ACCESS_KEY_ID</c>).</summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>The secret access key (<c>OBS_SECRET_ACCESS_KEY</c>). Never logged, never written to a checkpoint.</summary>
    public string SecretAccessKey { get; set; } = "";

    /// <summary>The security token of temporary credentials (<c>OBS_SECURITY_TOKEN</c>), or <see langword="null"/>.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>The signature scheme. Default <see cref="SignatureType.Auto"/>: negotiated per bucket with one protocol
    /// probe, as Huawei's SDKs do. <see cref="SignatureType.Obs"/>, <see cref="SignatureType.V4"/> and
    /// <see cref="SignatureType.V2"/> skip the probe.</summary>
    public SignatureType Signature { get; set; } = SignatureType.Auto;

    /// <summary>The region for V4 signing; <see langword="null"/> (the default) takes the one the service names, else
    /// <c>us-east-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>Address buckets as <c>endpoint/bucket/key</c> instead of <c>bucket.endpoint/key</c>.
    /// <see langword="null"/> (the default) chooses path style for IP addresses and <c>localhost</c>.</summary>
    public bool? PathStyle { get; set; }

    /// <summary>How many times a failed request is retried when the failure is transient (a dropped connection, an idle
    /// attempt, a 5xx, throttling, a damaged answer). Default 4, range 0..20.</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>The delay before the first retry; later ones grow exponentially with jitter, up to 30 s. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>An attempt is abandoned (and retried) when it makes no progress for this long, whether connecting,
    /// sending the body, waiting for the answer or reading it; progress is a chunk of the body sent or 1 KiB of the
    /// answer received, so a slow but steady transfer is never cut and an answer that trickles in a few bytes at a time is.
    /// Default 30 seconds, range 1 s..1 h. With the defaults, a server that accepts connections and never answers
    /// fails a call in under 3 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = DefaultIdleTimeout;

    /// <summary>The proxy to reach the endpoint through; <see langword="null"/> (the default) uses the system's
    /// (<see cref="HttpClient.DefaultProxy"/>, which reads <c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c> and <c>NO_PROXY</c> once
    /// per process).</summary>
    public System.Net.IWebProxy? Proxy { get; set; }

    /// <summary>Receives what the client does, as typed events (<see cref="UploadEvent"/>); <see langword="null"/> for
    /// none. Events never contain credentials.</summary>
    public IUploadObserver? Observer { get; set; }
}
