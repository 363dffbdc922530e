using System.Diagnostics;

namespace ObsBuildTasks.Testing.Store;

/// <summary>
/// The real S3-compatible store the integration tests use (OpenStack Swift with s3api on loopback, see
/// eng/object-store.sh). Settings come from <c>OBS_TEST_*</c> variables, defaulting to what the script starts; when
/// the store does not answer, the script is run to start it.
/// </summary>
public sealed class LocalObjectStore
{
    private static readonly Lazy<Task<LocalObjectStore>> Shared = new(StartAsync);

    private LocalObjectStore(Uri endpoint, string accessKeyId, string secretAccessKey, string bucket)
    {
        Endpoint = endpoint;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        Bucket = bucket;
        Reader = new StoreReader(endpoint, accessKeyId, secretAccessKey, Region);
    }

    public Uri Endpoint { get; }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary>The bucket tests write to.</summary>
    public string Bucket { get; }

    public static string Region => "us-east-1";

    /// <summary>Reads what landed with plain GETs, a request the uploader never makes.</summary>
    public StoreReader Reader { get; }

    /// <summary>The running store (started on first use).</summary>
    public static Task<LocalObjectStore> GetAsync() => Shared.Value;

    /// <summary>Options for a client of this store, through <paramref name="endpoint"/> (a proxy) when given.</summary>
    public ObsClientOptions ClientOptions(SignatureType signature = SignatureType.V4, Uri? endpoint = null) => new()
    {
        Endpoint = (endpoint ?? Endpoint).ToString(),
        AccessKeyId = AccessKeyId,
        SecretAccessKey = SecretAccessKey,
        Signature = signature,
        Region = Region,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>The unfinished multipart uploads the store lists for <paramref name="key"/>.</summary>
    public async Task<IReadOnlyList<MultipartUploadInfo>> UnfinishedUploadsAsync(string key)
    {
        using var client = new ObsClient(ClientOptions());
        return await client.ListMultipartUploadsAsync(Bucket, key).ConfigureAwait(false);
    }

    /// <summary>Completes once the store lists an unfinished multipart upload of <paramref name="key"/> (polled).</summary>
    /// <exception cref="OperationCanceledException">None within a minute.</exception>
    public Task WaitForUnfinishedUploadAsync(string key) => WaitForUnfinishedUploadsAsync(key, uploads => uploads.Count > 0);

    /// <summary>Completes once the store lists no unfinished multipart upload of <paramref name="key"/> (polled).</summary>
    /// <exception cref="OperationCanceledException">Some are still listed after a minute.</exception>
    public Task WaitForNoUnfinishedUploadAsync(string key) => WaitForUnfinishedUploadsAsync(key, uploads => uploads.Count == 0);

    private async Task WaitForUnfinishedUploadsAsync(string key, Func<IReadOnlyList<MultipartUploadInfo>, bool> done)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!done(await UnfinishedUploadsAsync(key).ConfigureAwait(false)))
        {
            await poll.WaitForNextTickAsync(patience.Token).ConfigureAwait(false);
        }
    }

    /// <summary>A key no other test uses.</summary>
    public static string UniqueKey(string name) => $"tests/{Guid.NewGuid():N}/{name}";

    private static async Task<LocalObjectStore> StartAsync()
    {
        var store = new LocalObjectStore(
            new Uri(Environment.GetEnvironmentVariable("OBS_TEST_ENDPOINT") ?? "http://127.0.0.1:18080"),
            Environment.GetEnvironmentVariable("OBS_TEST_ACCESS_KEY_ID") ?? "test:tester",
            Environment.GetEnvironmentVariable("OBS_TEST_SECRET_ACCESS_KEY") ?? "testing",
            Environment.GetEnvironmentVariable("OBS_TEST_BUCKET") ?? "obs-tests");
        if (!await store.Reader.IsHealthyAsync().ConfigureAwait(false))
        {
            await RunScriptAsync("start").ConfigureAwait(false);
        }

        return store;
    }

    /// <summary>Runs <c>eng/object-store.sh {command}</c> and returns what it printed.</summary>
    internal static async Task<string> RunScriptAsync(string command)
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "object-store.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {command} failed ({process.ExitCode}):\n{await output.ConfigureAwait(false)}\n{await error.ConfigureAwait(false)}");
        }

        return await output.ConfigureAwait(false);
    }

    /// <summary>The folder holding ObsBuildTasks.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ObsBuildTasks.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ObsBuildTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
