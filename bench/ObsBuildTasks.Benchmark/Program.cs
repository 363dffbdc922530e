using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ObsBuildTasks.Benchmark;

// ObsBuildTasks.Benchmark [options]   -- the benchmark (eng/benchmark.sh runs it; see docs/benchmark.md)
// ObsBuildTasks.Benchmark sink --port N [--manifest FILE] [--hash] [--trace]   -- the null-sink endpoint alone
if (args.Length > 0 && args[0] == "sink")
{
    return await NullSink.RunAsync(args[1..]).ConfigureAwait(false);
}

var options = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

return await new Driver(options).RunAsync().ConfigureAwait(false);

/// <summary>Command-line options of the benchmark.</summary>
internal sealed partial class BenchmarkOptions
{
    public const string Usage = """
        usage: ObsBuildTasks.Benchmark --runner PATH/ObsBuildTasks.Runner.dll [options]
          --quick                 small files (256 MiB / 512 MiB / 100 files), 1 round
          --rounds N              rounds per scenario (default 3; --quick: 1)
          --big-rounds N          rounds of the 4 GiB scenario (default: --rounds)
          --servers LIST          swift,sink (default both)
          --tools LIST            ours,ours-jit,aws,rclone,obs-node,aws-dotnet (default all)
          --scenarios LIST        single-t1,single-t4,single-t8,big-t8,many-t8,resume-t8 (default all)
          --part-size BYTES       part size for every tool (default 16777216)
          --work-dir DIR          files, logs, results (default /var/tmp/obsbench)
          --swift-endpoint URL    default http://127.0.0.1:18080
          --store-dir DIR         the store's state directory (default /var/tmp/obsbuildtasks-store)
          --bucket NAME           default obs-bench
          --sink-port N           default 18090
          --sink-hash             the sink hashes every body instead of looking the MD5 up
          --aws-sign-payload      leave awscli's SHA-256 payload signing on (its default over http)
          --aws-sdk-peer DLL      ObsBuildTasks.Benchmark.AwsSdkPeer.dll (TransferUtility; tool aws-dotnet)
          --node-peer JS          bench/ObsBuildTasks.Benchmark.NodeSdkPeer/upload.js (esdk-obs-nodejs; tool obs-node)
          --node-modules DIR      the node_modules folder esdk-obs-nodejs is installed in (NODE_PATH of obs-node)
          --keep                  keep the uploaded objects (default: deleted after each run)
          --variant NAME=RUNNER[;VAR=VALUE...]
                                  an extra tool "ours-NAME": another runner build (its .dll, or a native executable
                                  such as a NativeAOT publish of the runner; empty = --runner) and/or environment
                                  variables, run as ours is (--front-end), for A/B experiments (repeatable; add it
                                  to --tools)
        """;

    public required string Runner { get; init; }

    public bool Quick { get; init; }

    public int Rounds { get; init; }

    public int BigRounds { get; init; }

    public IReadOnlyList<string> Servers { get; init; } = ["swift", "sink"];

    public IReadOnlyList<string> Tools { get; init; } = Peers.All;

    public IReadOnlyList<string>? Scenarios { get; init; }

    public long PartSize { get; init; } = 16 * 1024 * 1024;

    public string WorkDirectory { get; init; } = "/var/tmp/obsbench";

    public string SwiftEndpoint { get; init; } = "http://127.0.0.1:18080";

    public string StoreDirectory { get; init; } = "/var/tmp/obsbuildtasks-store";

    public string Bucket { get; init; } = "obs-bench";

    public int SinkPort { get; init; } = 18090;

    public bool SinkHash { get; init; }

    public bool AwsSignPayload { get; init; }

    public bool Keep { get; init; }

    /// <summary>The TransferUtility peer's DLL (tool aws-dotnet).</summary>
    public string? AwsSdkPeer { get; init; }

    /// <summary>The esdk-obs-nodejs peer's script (tool obs-node).</summary>
    public string? NodePeer { get; init; }

    /// <summary>The node_modules folder that holds esdk-obs-nodejs.</summary>
    public string? NodeModules { get; init; }

    /// <summary>Extra "ours-NAME" tools: runner path and environment.</summary>
    public IReadOnlyDictionary<string, (string Runner, IReadOnlyDictionary<string, string> Environment)> Variants { get; init; } =
        new Dictionary<string, (string, IReadOnlyDictionary<string, string>)>();

    public string CommandLine { get; init; } = "";

    public static BenchmarkOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var variants = new List<string>();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] flagNames = ["--quick", "--sink-hash", "--aws-sign-payload", "--keep", "--help"];
        for (var index = 0; index < args.Length; index++)
        {
            if (flagNames.Contains(args[index]))
            {
                flags.Add(args[index]);
            }
            else if (args[index] == "--variant" && index + 1 < args.Length)
            {
                variants.Add(args[++index]);
            }
            else if (args[index].StartsWith("--", StringComparison.Ordinal) && index + 1 < args.Length)
            {
                values[args[index]] = args[++index];
            }
            else
            {
                Console.Error.WriteLine($"unknown argument {args[index]}");
                return null;
            }
        }

        if (flags.Contains("--help") || !values.TryGetValue("--runner", out var runner))
        {
            return null;
        }

        var quick = flags.Contains("--quick");
        var rounds = values.TryGetValue("--rounds", out var r) ? int.Parse(r, CultureInfo.InvariantCulture) : quick ? 1 : 3;
        var variantMap = new Dictionary<string, (string, IReadOnlyDictionary<string, string>)>(StringComparer.Ordinal);
        foreach (var variant in variants)
        {
            var (name, spec) = (variant.Split('=', 2)[0], variant.Split('=', 2).ElementAtOrDefault(1) ?? "");
            var pieces = spec.Split(';');
            var environment = pieces.Skip(1).Where(piece => piece.Contains('=', StringComparison.Ordinal))
                .ToDictionary(piece => piece.Split('=', 2)[0], piece => piece.Split('=', 2)[1], StringComparer.Ordinal);
            variantMap["ours-" + name] = (pieces[0].Length == 0 ? Path.GetFullPath(runner) : Path.GetFullPath(pieces[0]), environment);
        }

        static IReadOnlyList<string> List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new BenchmarkOptions
        {
            Runner = Path.GetFullPath(runner),
            Quick = quick,
            Rounds = rounds,
            BigRounds = values.TryGetValue("--big-rounds", out var b) ? int.Parse(b, CultureInfo.InvariantCulture) : rounds,
            Servers = values.TryGetValue("--servers", out var s) ? List(s) : ["swift", "sink"],
            Tools = values.TryGetValue("--tools", out var t) ? List(t) : Peers.All,
            Scenarios = values.TryGetValue("--scenarios", out var c) ? List(c) : null,
            PartSize = values.TryGetValue("--part-size", out var p) ? long.Parse(p, CultureInfo.InvariantCulture) : 16 * 1024 * 1024,
            WorkDirectory = values.GetValueOrDefault("--work-dir", "/var/tmp/obsbench"),
            SwiftEndpoint = values.GetValueOrDefault("--swift-endpoint", "http://127.0.0.1:18080"),
            StoreDirectory = values.GetValueOrDefault("--store-dir", "/var/tmp/obsbuildtasks-store"),
            Bucket = values.GetValueOrDefault("--bucket", "obs-bench"),
            SinkPort = values.TryGetValue("--sink-port", out var port) ? int.Parse(port, CultureInfo.InvariantCulture) : 18090,
            SinkHash = flags.Contains("--sink-hash"),
            AwsSignPayload = flags.Contains("--aws-sign-payload"),
            Keep = flags.Contains("--keep"),
            AwsSdkPeer = values.TryGetValue("--aws-sdk-peer", out var awsSdkPeer) ? Path.GetFullPath(awsSdkPeer) : null,
            NodePeer = values.TryGetValue("--node-peer", out var nodePeer) ? Path.GetFullPath(nodePeer) : null,
            NodeModules = values.TryGetValue("--node-modules", out var nodeModules) ? Path.GetFullPath(nodeModules) : null,
            Variants = variantMap,
            CommandLine = string.Join(' ', args),
        };
    }

    [GeneratedRegex(@"^done (?<key>\S+) \S+ parts=(?<parts>\d+) reused=(?<reused>\d+) sent=(?<sent>\d+)", RegexOptions.Multiline)]
    public static partial Regex DoneLine();

    /// <summary>What obs-uploader says it cost (UploaderChild.ResourceLine), relayed by the runner as a Low line.</summary>
    [GeneratedRegex(@"obs-uploader used (?<cpu>[0-9.]+) s CPU, peak memory (?<memory>[0-9.]+) (?<unit>B|KiB|MiB|GiB)\.", RegexOptions.Multiline)]
    public static partial Regex UploaderLine();

    /// <summary>The runner's last line: its own CPU seconds and peak RSS (not its child's).</summary>
    [GeneratedRegex(@"^runtime .* cpu-s=(?<cpu>[0-9.]+) peak-rss-kib=(?<rss>\d+)", RegexOptions.Multiline)]
    public static partial Regex RuntimeLine();
}

/// <summary>Runs every scenario on every server, tools in turn, and writes the report.</summary>
internal sealed class Driver
{
    private readonly BenchmarkOptions _options;
    private readonly List<RunResult> _results = [];
    private readonly string _stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
    private readonly Peers _peers;

    public Driver(BenchmarkOptions options)
    {
        _options = options;
        _peers = new Peers(options);
    }

    private string FilesDirectory => Path.Combine(_options.WorkDirectory, "files");

    private string LogDirectory => Path.Combine(_options.WorkDirectory, "logs", _stamp);

    private string ResultsDirectory => Path.Combine(_options.WorkDirectory, "results");

    public async Task<int> RunAsync()
    {
        if (!File.Exists(_options.Runner))
        {
            Console.Error.WriteLine($"The runner {_options.Runner} does not exist: build tests/ObsBuildTasks.Runner first.");
            return 2;
        }

        var uploader = Path.Combine(Path.GetDirectoryName(_options.Runner)!, "uploader", "linux-x64", "obs-uploader");
        if (_options.Tools.Contains(Peers.Ours) && !File.Exists(uploader))
        {
            Console.Error.WriteLine($"{uploader} does not exist: ours would run in the runner's process (build the runner with the native uploader).");
            return 2;
        }

        var unavailable = _options.Tools.Select(_peers.Unavailable).OfType<string>().ToList();
        if (unavailable.Count > 0)
        {
            Console.Error.WriteLine(string.Join('\n', unavailable) + "\n(eng/benchmark.sh builds and passes them)");
            return 2;
        }

        var scenarios = Scenario.Create(_options.Quick, _options.Rounds, _options.BigRounds, 8, 8)
            .Where(scenario => _options.Scenarios is null || _options.Scenarios.Contains(scenario.Id)).ToList();
        Directory.CreateDirectory(ResultsDirectory);
        Directory.CreateDirectory(LogDirectory);

        Log($"generating files under {FilesDirectory} (kept between runs)");
        var manifestPath = Path.Combine(FilesDirectory, $"manifest-{_options.PartSize}.json");
        Directory.CreateDirectory(FilesDirectory);
        var manifest = Manifest.Load(manifestPath);
        var prepared = scenarios.ToDictionary(scenario => scenario.Id, scenario => scenario.Prepare(FilesDirectory, manifest, _options.PartSize));
        manifest.Save(manifestPath);

        var resultsJson = Path.Combine(ResultsDirectory, $"{_stamp}{(_options.Quick ? "-quick" : "")}.jsonl");
        var reportPath = Path.Combine(ResultsDirectory, $"{_stamp}{(_options.Quick ? "-quick" : "")}.md");
        var started = DateTime.UtcNow;
        foreach (var serverName in _options.Servers)
        {
            await using Server server = serverName switch
            {
                "swift" => new SwiftServer(_options.SwiftEndpoint, _options.Bucket, _options.StoreDirectory),
                "sink" => new SinkServer(typeof(Driver).Assembly.Location, manifestPath, _options.SinkPort, _options.SinkHash, _options.Bucket),
                _ => throw new ArgumentException($"unknown server {serverName}"),
            };
            Log($"server {server.Name}: {server.Description}");
            await server.StartAsync(_peers).ConfigureAwait(false);
            foreach (var scenario in scenarios)
            {
                var (files, directory) = prepared[scenario.Id];
                for (var round = 1; round <= scenario.Rounds; round++)
                {
                    for (var turn = 0; turn < _options.Tools.Count; turn++)
                    {
                        // Rotate who goes first, so a slow spell of the machine does not always hit the same tool.
                        var tool = _options.Tools[(turn + round - 1) % _options.Tools.Count];
                        var result = await RunOneAsync(server, scenario, tool, round, files, directory).ConfigureAwait(false);
                        _results.Add(result);
                        await File.AppendAllTextAsync(resultsJson, JsonSerializer.Serialize(result, ResultJson.Default.RunResult) + "\n").ConfigureAwait(false);
                        Log(Describe(result));
                    }
                }

                await File.WriteAllTextAsync(reportPath, Report.Build(_results, _options, _peers.Versions(), scenarios, started, DateTime.UtcNow)).ConfigureAwait(false);
            }
        }

        var report = Report.Build(_results, _options, _peers.Versions(), scenarios, started, DateTime.UtcNow);
        await File.WriteAllTextAsync(reportPath, report).ConfigureAwait(false);
        Console.WriteLine(report);
        Log($"report: {reportPath}; every run: {resultsJson}; client output: {LogDirectory}");
        return _results.All(result => result.Ok) ? 0 : 1;
    }

    private async Task<RunResult> RunOneAsync(Server server, Scenario scenario, string tool, int round, IReadOnlyList<string> files, string? directory)
    {
        var prefix = $"bench/{_stamp}/{server.Name}/{scenario.Id}/{tool}-r{round}/";
        var checkpoints = Path.Combine(_options.WorkDirectory, "checkpoints", $"{server.Name}-{scenario.Id}-{tool}-r{round}");
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }

        var spec = new RunSpec(server, prefix, files, directory, scenario.TaskNum, checkpoints);
        var command = _peers.Command(tool, spec);
        var payload = files.Sum(file => new FileInfo(file).Length);
        var name = $"{server.Name}-{scenario.Id}-{tool}-r{round}";
        try
        {
            await server.QuiesceAsync().ConfigureAwait(false);
            WarmPageCache(files);
            if (scenario.Kind != ScenarioKind.Resume)
            {
                var run = await MeasureAsync(server, command, name, killAtCompletedBytes: null).ConfigureAwait(false);
                return Result(server, scenario, tool, round, payload, run, files.Count, null);
            }

            var killed = await MeasureAsync(server, command, name + "-killed", killAtCompletedBytes: payload / 2).ConfigureAwait(false);
            await server.QuiesceAsync().ConfigureAwait(false);
            var resumed = await MeasureAsync(server, command, name + "-resumed", killAtCompletedBytes: null).ConfigureAwait(false);
            return Result(server, scenario, tool, round, payload, resumed, files.Count, killed);
        }
        finally
        {
            if (!_options.Keep)
            {
                await server.CleanAsync(prefix, _peers).ConfigureAwait(false);
            }

            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    private sealed record Measured(ProcessCost Cost, ServerCounters Counters, double ServerCpu, double OthersCpu, string Load);

    private async Task<Measured> MeasureAsync(Server server, ClientCommand command, string name, long? killAtCompletedBytes)
    {
        var load = Measure.LoadAverage();
        var before = await server.CountersAsync().ConfigureAwait(false);
        var serverCpu = server.CpuSeconds();
        var self = Measure.SelfCpuSeconds();
        Func<Task<bool>>? killWhen = killAtCompletedBytes is { } threshold
            ? async () => ((await server.CountersAsync().ConfigureAwait(false)) - before).CompletedBytes >= threshold
            : null;
        var cost = await Measure.RunAsync(command, LogDirectory, name, killWhen).ConfigureAwait(false);
        await server.SettleAfterRunAsync().ConfigureAwait(false);
        var counters = (await server.CountersAsync().ConfigureAwait(false)) - before;
        serverCpu = server.CpuSeconds() - serverCpu;
        self = Measure.SelfCpuSeconds() - self;
        var others = Math.Max(0, cost.MachineBusySeconds - cost.UserSeconds - cost.SystemSeconds - serverCpu - self);
        return new Measured(cost, counters, serverCpu, others, load);
    }

    private static RunResult Result(Server server, Scenario scenario, string tool, int round, long payload, Measured run, int fileCount, Measured? killed)
    {
        var problems = new List<string>();
        if (run.Cost.ExitCode != 0)
        {
            problems.Add($"exit code {run.Cost.ExitCode}");
        }

        if (killed is { Cost.Killed: false })
        {
            problems.Add("the first run finished before it could be killed");
        }

        var expected = payload - (killed?.Counters.CompletedBytes ?? 0);
        if (run.Counters.CompletedBytes < expected)
        {
            problems.Add($"the server accepted {run.Counters.CompletedBytes} bytes, expected at least {expected}");
        }

        int? reused = null;
        Match? uploader = null;
        Match? runner = null;
        if (tool.StartsWith("ours", StringComparison.Ordinal))
        {
            var output = File.ReadAllText(run.Cost.OutputPath);
            var done = BenchmarkOptions.DoneLine().Matches(output);
            if (done.Count != fileCount)
            {
                problems.Add($"{done.Count} 'done' lines for {fileCount} files");
            }

            reused = done.Sum(match => int.Parse(match.Groups["reused"].Value, CultureInfo.InvariantCulture));
            uploader = BenchmarkOptions.UploaderLine().Match(output) is { Success: true } found ? found : null;
            runner = BenchmarkOptions.RuntimeLine().Match(output) is { Success: true } last ? last : null;
            // ours measures the product's path only if the call really ran in obs-uploader (the front end falls back to
            // its own process, saying so in a Low line, when the uploader is missing or does not start); ours-jit never.
            if (tool == Peers.Ours && uploader is null)
            {
                problems.Add("no 'obs-uploader used' line: the call did not run in obs-uploader");
            }
            else if (tool == Peers.OursJit && uploader is not null)
            {
                problems.Add("the in-process call ran in obs-uploader");
            }
        }

        return new RunResult
        {
            Server = server.Name,
            Scenario = scenario.Id,
            Tool = tool,
            Round = round,
            TaskNum = scenario.TaskNum,
            PayloadBytes = payload,
            WallSeconds = run.Cost.WallSeconds,
            UserSeconds = run.Cost.UserSeconds,
            SystemSeconds = run.Cost.SystemSeconds,
            MaxRssKiB = run.Cost.MaxRssKiB,
            ExitCode = run.Cost.ExitCode,
            Requests = run.Counters.Requests,
            BodyBytes = run.Counters.BodyBytes,
            CompletedBytes = run.Counters.CompletedBytes,
            ForeignRequests = run.Counters.ForeignRequests,
            ServerCpuSeconds = run.ServerCpu,
            OthersCpuSeconds = run.OthersCpu,
            LoadAverage = run.Load,
            Ok = problems.Count == 0,
            Problem = problems.Count == 0 ? null : string.Join("; ", problems),
            OutputPath = run.Cost.OutputPath,
            KilledWallSeconds = killed?.Cost.WallSeconds,
            KilledCompletedBytes = killed?.Counters.CompletedBytes,
            KilledBodyBytes = killed?.Counters.BodyBytes,
            PartsReused = reused,
            UploaderCpuSeconds = uploader is null ? null : double.Parse(uploader.Groups["cpu"].Value, CultureInfo.InvariantCulture),
            UploaderMaxRssKiB = uploader is null ? null : (long)(double.Parse(uploader.Groups["memory"].Value, CultureInfo.InvariantCulture)
                * uploader.Groups["unit"].Value switch { "B" => 1.0 / 1024, "KiB" => 1, "MiB" => 1024, _ => 1024 * 1024 }),
            FrontEndCpuSeconds = runner is null ? null : double.Parse(runner.Groups["cpu"].Value, CultureInfo.InvariantCulture),
            FrontEndMaxRssKiB = runner is null ? null : long.Parse(runner.Groups["rss"].Value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Reads the files once so every tool finds them in the page cache (the clients are measured, not the disk).</summary>
    private static void WarmPageCache(IReadOnlyList<string> files)
    {
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            while (stream.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
    }

    private static string Describe(RunResult result)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{result.Server} {result.Scenario} r{result.Round} {result.Tool,-10}: {result.WallSeconds,7:0.00} s {result.MiBPerSecond,7:0.0} MiB/s cpu {result.UserSeconds:0.00}u+{result.SystemSeconds:0.00}s rss {result.MaxRssKiB / 1024.0:0} MiB req {result.Requests} server {result.ServerCpuSeconds:0.0} s foreign {result.ForeignRequests} others {result.OthersCpuSeconds:0.0} s load {result.LoadAverage}");
        if (result.UploaderMaxRssKiB is { } uploaderRss)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $" | uploader cpu {result.UploaderCpuSeconds:0.00} s rss {uploaderRss / 1024.0:0.0} MiB, front end cpu {result.FrontEndCpuSeconds:0.00} s rss {result.FrontEndMaxRssKiB / 1024.0:0} MiB");
        }

        if (result.KilledCompletedBytes is { } done)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $" | killed after {result.KilledWallSeconds:0.0} s with {done / 1048576.0:0} MiB on the server ({result.KilledBodyBytes / 1048576.0:0} MiB received), resume sent {result.BodyBytes / 1048576.0:0} MiB");
        }

        return result.Ok ? text : text + " FAILED: " + result.Problem;
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
