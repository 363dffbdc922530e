namespace ObsBuildTasks.Testing.Store;

/// <summary>
/// The OBS-protocol front of the local store (tests/ObsBuildTasks.ObsFront, run by eng/object-store.sh): its endpoint
/// and the credentials it accepts, as the script's <c>env</c> prints them. First use runs the script's <c>start</c>,
/// which also rebuilds and restarts the front when its sources changed.
/// </summary>
public sealed class LocalObsFront
{
    private static readonly Lazy<Task<LocalObsFront>> Shared = new(StartAsync);

    private LocalObsFront(IReadOnlyDictionary<string, string> settings) => Settings = settings;

    /// <summary>Every variable of <c>eng/object-store.sh env</c> (for a child process's environment).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The front, e.g. <c>http://localhost:18081/</c>.</summary>
    public Uri Endpoint => new(Settings["OBS_FRONT_ENDPOINT"]);

    /// <summary>The bucket tests write to.</summary>
    public string Bucket => Settings["OBS_TEST_BUCKET"];

    /// <summary>A permanent access key.</summary>
    public string AccessKeyId => Settings["OBS_FRONT_ACCESS_KEY_ID"];

    /// <summary>The permanent key's secret.</summary>
    public string SecretAccessKey => Settings["OBS_FRONT_SECRET_ACCESS_KEY"];

    /// <summary>The access key of temporary credentials, valid only with <see cref="SecurityToken"/>.</summary>
    public string TemporaryAccessKeyId => Settings["OBS_FRONT_TEMP_ACCESS_KEY_ID"];

    /// <summary>The temporary key's secret.</summary>
    public string TemporarySecretAccessKey => Settings["OBS_FRONT_TEMP_SECRET_ACCESS_KEY"];

    /// <summary>The temporary key's security token.</summary>
    public string SecurityToken => Settings["OBS_FRONT_SECURITY_TOKEN"];

    /// <summary>The running front (started on first use).</summary>
    public static Task<LocalObsFront> GetAsync() => Shared.Value;

    /// <summary>Options for an engine client that talks OBS to the front with the permanent key.</summary>
    public ObsClientOptions ClientOptions() => new()
    {
        Endpoint = Endpoint.ToString(),
        AccessKeyId = AccessKeyId,
        SecretAccessKey = SecretAccessKey,
        Signature = SignatureType.Obs,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    private static async Task<LocalObsFront> StartAsync()
    {
        await LocalObjectStore.RunScriptAsync("start").ConfigureAwait(false);
        var settings = (await LocalObjectStore.RunScriptAsync("env").ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.StartsWith("export ", StringComparison.Ordinal) ? line["export ".Length..] : line)
            .Select(assignment => assignment.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return new LocalObsFront(settings);
    }
}
