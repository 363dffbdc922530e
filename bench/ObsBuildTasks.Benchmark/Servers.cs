using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace ObsBuildTasks.Benchmark;

/// <summary>Requests and body bytes the server saw from the benchmark's clients (cumulative).</summary>
/// <param name="Requests">Client requests (not the store's internal sub-requests).</param>
/// <param name="BodyBytes">Request body bytes received, partial bodies of cut requests included.</param>
/// <param name="CompletedBytes">Body bytes of parts and objects the server accepted (200 to UploadPart/PutObject).</param>
/// <param name="ForeignRequests">Requests of other clients (other jobs' tests on the shared store) in the same time.</param>
internal sealed record ServerCounters(long Requests, long BodyBytes, long CompletedBytes, long ForeignRequests = 0)
{
    public static ServerCounters operator -(ServerCounters after, ServerCounters before) =>
        new(after.Requests - before.Requests, after.BodyBytes - before.BodyBytes, after.CompletedBytes - before.CompletedBytes,
            after.ForeignRequests - before.ForeignRequests);
}

/// <summary>One of the two servers the clients upload to.</summary>
internal abstract class Server : IAsyncDisposable
{
    protected Server(string bucket) => Bucket = bucket;

    public abstract string Name { get; }

    public abstract string Description { get; }

    public abstract string Endpoint { get; }

    public string Bucket { get; }

    /// <summary>Access key and secret the clients sign with.</summary>
    public abstract (string AccessKey, string Secret) Credentials { get; }

    public abstract Task StartAsync(Peers peers);

    public abstract Task<ServerCounters> CountersAsync();

    /// <summary>CPU seconds the server's processes have used so far.</summary>
    public abstract double CpuSeconds();

    /// <summary>Deletes what a run left under <paramref name="prefix"/>: objects and unfinished uploads.</summary>
    public abstract Task CleanAsync(string prefix, Peers peers);

    /// <summary>After a client exits: waits until the server has logged/finished its last request.</summary>
    public virtual Task SettleAfterRunAsync() => Task.CompletedTask;

    /// <summary>Before a run: waits until the server is idle (and the disk has written back the last run).</summary>
    public virtual Task QuiesceAsync() => Task.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The local object store (eng/object-store.sh): requests and bytes counted from the proxy's access log.</summary>
internal sealed class SwiftServer : Server
{
    private readonly string _endpoint;
    private readonly string _stateDirectory;
    private readonly Lock _lock = new();
    private long _position;
    private string _partial = "";
    private long _requests;
    private long _bodyBytes;
    private long _completedBytes;
    private long _foreignRequests;

    public SwiftServer(string endpoint, string bucket, string stateDirectory) : base(bucket)
    {
        _endpoint = endpoint;
        _stateDirectory = stateDirectory;
    }

    public override string Name => "swift";

    public override string Description => $"local store: OpenStack Swift 2.30 + s3api, single node, data on the local disk ({_endpoint})";

    public override string Endpoint => _endpoint;

    public override (string AccessKey, string Secret) Credentials => ("test:tester", "testing");

    private string LogPath => Path.Combine(_stateDirectory, "log", "proxy.log");

    public override async Task StartAsync(Peers peers)
    {
        if (!File.Exists(LogPath))
        {
            throw new InvalidOperationException($"No proxy log at {LogPath}: start the store first (bash eng/object-store.sh start).");
        }

        _position = new FileInfo(LogPath).Length;
        // The benchmark's own bucket: other jobs' tests use obs-tests/obs-samples at the same time.
        await Measure.HelperAsync(peers.Aws(this, "s3api", "create-bucket", "--bucket", Bucket), check: false).ConfigureAwait(false);
    }

    public override Task<ServerCounters> CountersAsync()
    {
        Poll();
        lock (_lock)
        {
            return Task.FromResult(new ServerCounters(_requests, _bodyBytes, _completedBytes, _foreignRequests));
        }
    }

    public override double CpuSeconds() => Pids().Sum(Measure.ProcessCpuSeconds);

    public override async Task CleanAsync(string prefix, Peers peers)
    {
        await Measure.HelperAsync(peers.Aws(this, "s3", "rm", $"s3://{Bucket}/{prefix}", "--recursive", "--only-show-errors"), check: false).ConfigureAwait(false);
        var listing = await Measure.HelperAsync(peers.Aws(this, "s3api", "list-multipart-uploads", "--bucket", Bucket, "--prefix", prefix,
            "--query", "Uploads[].[Key,UploadId]", "--output", "text"), check: false).ConfigureAwait(false);
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length == 2)
            {
                await Measure.HelperAsync(peers.Aws(this, "s3api", "abort-multipart-upload", "--bucket", Bucket, "--key", fields[0],
                    "--upload-id", fields[1]), check: false).ConfigureAwait(false);
            }
        }
    }

    public override async Task SettleAfterRunAsync()
    {
        // The proxy logs a request when its answer is done; the client may exit a moment before that line is written.
        var last = (await CountersAsync().ConfigureAwait(false)).Requests;
        var stable = Stopwatch.StartNew();
        var total = Stopwatch.StartNew();
        while (stable.ElapsedMilliseconds < 700 && total.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100).ConfigureAwait(false);
            var now = (await CountersAsync().ConfigureAwait(false)).Requests;
            if (now != last)
            {
                last = now;
                stable.Restart();
            }
        }
    }

    public override async Task QuiesceAsync()
    {
        // Write back what the last run left dirty, so a run never pays for the one before it.
        await Measure.HelperAsync(new ClientCommand("/usr/bin/sync", [], new Dictionary<string, string?>()), check: false).ConfigureAwait(false);
        var total = Stopwatch.StartNew();
        while (total.Elapsed < TimeSpan.FromSeconds(15))
        {
            var before = CpuSeconds();
            await Task.Delay(300).ConfigureAwait(false);
            if (CpuSeconds() - before < 0.03)
            {
                return;
            }
        }
    }

    private static readonly string[] ServerNames = ["proxy", "account", "container", "object"];

    private IEnumerable<int> Pids() =>
        ServerNames
            .Select(name => Path.Combine(_stateDirectory, "run", name + ".pid"))
            .Where(File.Exists)
            .Select(path => int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>Reads the log lines appended since the last poll and counts the client requests to our bucket.</summary>
    private void Poll()
    {
        lock (_lock)
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _position)
            {
                _position = 0; // rotated
            }

            stream.Position = _position;
            var buffer = new byte[stream.Length - _position];
            var read = 0;
            while (read < buffer.Length)
            {
                var count = stream.Read(buffer, read, buffer.Length - read);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }

            _position += read;
            var text = _partial + Encoding.UTF8.GetString(buffer, 0, read);
            var end = text.LastIndexOf('\n');
            _partial = end < 0 ? text : text[(end + 1)..];
            if (end < 0)
            {
                return;
            }

            foreach (var line in text[..end].Split('\n'))
            {
                Count(line);
            }
        }
    }

    // proxy-server: client_ip remote_addr datetime method path protocol status referer user_agent auth_token bytes_recvd ...
    private void Count(string line)
    {
        const string Tag = "proxy-server: ";
        var start = line.IndexOf(Tag, StringComparison.Ordinal);
        if (start < 0)
        {
            return;
        }

        var fields = line[(start + Tag.Length)..].Split(' ');
        if (fields.Length < 11 || fields[0] == "-")
        {
            return; // an internal sub-request
        }

        var path = fields[4];
        if (!path.StartsWith("/" + Bucket, StringComparison.Ordinal)
            || (path.Length > Bucket.Length + 1 && path[Bucket.Length + 1] is not ('/' or '%' or '?')))
        {
            // The store is shared: other jobs' tests use it at the same time, and its CPU counts for them too.
            _foreignRequests++;
            return;
        }

        _requests++;
        var received = long.TryParse(fields[10], CultureInfo.InvariantCulture, out var bytes) ? bytes : 0;
        _bodyBytes += received;
        if (fields[3] == "PUT" && fields[6] == "200" && path.Length > Bucket.Length + 2)
        {
            _completedBytes += received;
        }
    }
}

/// <summary>The null sink (<see cref="NullSink"/>), run as a child process so its CPU is its own.</summary>
internal sealed class SinkServer : Server
{
    private readonly string _benchmarkDll;
    private readonly string _manifest;
    private readonly int _port;
    private readonly bool _alwaysHash;
    private readonly HttpClient _http = new();
    private Process? _process;

    public SinkServer(string benchmarkDll, string manifest, int port, bool alwaysHash, string bucket) : base(bucket)
    {
        _benchmarkDll = benchmarkDll;
        _manifest = manifest;
        _port = port;
        _alwaysHash = alwaysHash;
    }

    public override string Name => "sink";

    public override string Description => $"null sink: Kestrel, discards bodies, ETags {(_alwaysHash ? "hashed (MD5 of every body)" : "looked up from the files' precomputed MD5s")} (http://127.0.0.1:{_port})";

    public override string Endpoint => $"http://127.0.0.1:{_port}";

    public override (string AccessKey, string Secret) Credentials => ("bench", "bench-secret");

    public override async Task StartAsync(Peers peers)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { _benchmarkDll, "sink", "--port", _port.ToString(CultureInfo.InvariantCulture), "--manifest", _manifest })
        {
            start.ArgumentList.Add(argument);
        }

        if (_alwaysHash)
        {
            start.ArgumentList.Add("--hash");
        }

        start.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the sink.");
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (line is null || !line.StartsWith("listening", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The sink did not start: {line}");
        }
    }

    public override async Task<ServerCounters> CountersAsync()
    {
        var stats = await _http.GetFromJsonAsync(Endpoint + "/__stats", SinkJson.Default.SinkStats).ConfigureAwait(false)
            ?? throw new InvalidOperationException("No stats from the sink.");
        return new ServerCounters(stats.Requests, stats.BodyBytes, stats.CompletedBytes);
    }

    public override double CpuSeconds() => _process is null ? 0 : Measure.ProcessCpuSeconds(_process.Id);

    public override async Task CleanAsync(string prefix, Peers peers)
    {
        using var response = await _http.PostAsync(new Uri(Endpoint + "/__reset"), null).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public override async Task SettleAfterRunAsync() => await Task.Delay(100).ConfigureAwait(false);

    public override async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        _http.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
