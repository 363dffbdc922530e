using System.Globalization;

namespace ObsBuildTasks.Benchmark;

/// <summary>What one client run uploads, where, and how.</summary>
/// <param name="Server">The server.</param>
/// <param name="Prefix">Key prefix of this run (ends with '/').</param>
/// <param name="Files">The files; when <paramref name="SourceDirectory"/> is set, all of its files.</param>
/// <param name="SourceDirectory">Set for the many-files scenario: the peers upload the folder in one call.</param>
/// <param name="TaskNum">Requests in flight (ours and esdk-obs-nodejs: TaskNum; awscli: max_concurrent_requests; rclone: upload
/// concurrency and transfers; TransferUtility: ConcurrentServiceRequests).</param>
/// <param name="CheckpointDirectory">Ours and esdk-obs-nodejs: where their checkpoints go.</param>
internal sealed record RunSpec(Server Server, string Prefix, IReadOnlyList<string> Files, string? SourceDirectory, int TaskNum,
    string CheckpointDirectory);

/// <summary>The five clients, each configured to the same part size and concurrency.</summary>
internal sealed class Peers
{
    private readonly string _workDirectory;
    private readonly string _runner;
    private readonly long _partSize;
    private readonly bool _awsSignPayload;
    private readonly IReadOnlyDictionary<string, (string Runner, IReadOnlyDictionary<string, string> Environment)> _variants;
    private readonly SdkPeers _sdks;
    private readonly Lazy<string> _versions;

    public Peers(BenchmarkOptions options)
    {
        _workDirectory = options.WorkDirectory;
        _runner = options.Runner;
        _partSize = options.PartSize;
        _awsSignPayload = options.AwsSignPayload;
        _variants = options.Variants;
        _sdks = new SdkPeers(options);
        _versions = new Lazy<string>(() => $"{FirstLine("/usr/bin/aws", "--version")}; {FirstLine("/usr/bin/rclone", "version")}; {_sdks.Versions()}");
    }

    /// <summary>The product's path: the runner's front end, which runs the call in the obs-uploader process.</summary>
    public const string Ours = "ours";

    /// <summary>The same call in the runner's own process (<c>InProcess = true</c>): the engine on the JIT-compiling runtime,
    /// as the task ran before obs-uploader and still runs where the uploader cannot start.</summary>
    public const string OursJit = "ours-jit";

    public static IReadOnlyList<string> All { get; } = [Ours, OursJit, "aws", "rclone", SdkPeers.Node, SdkPeers.TransferUtility];

    /// <summary>The peers' versions, for the report.</summary>
    public string Versions() => _versions.Value;

    /// <summary>Why <paramref name="tool"/> cannot run (a path not given or missing), or null.</summary>
    public string? Unavailable(string tool) => _sdks.Unavailable(tool);

    /// <summary>The first line <paramref name="file"/> prints with <paramref name="argument"/>, or "missing".</summary>
    public static string FirstLine(string file, string argument)
    {
        try
        {
            var output = Measure.HelperAsync(new ClientCommand(file, [argument], new Dictionary<string, string?>()), check: false).GetAwaiter().GetResult();
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "missing";
        }
    }

    /// <summary>Where to upload, part size and concurrency: the arguments ours and both SDK peers share.</summary>
    public static List<string> TargetArguments(RunSpec spec, long partSize) =>
    [
        "--endpoint", spec.Server.Endpoint, "--bucket", spec.Server.Bucket, "--key-prefix", spec.Prefix,
        "--part-size", partSize.ToString(CultureInfo.InvariantCulture), "--task-num", spec.TaskNum.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>Variables no client may inherit from this machine (profiles, CA bundles, endpoints).</summary>
    private static readonly string[] Scrubbed =
    [
        "AWS_CA_BUNDLE", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "OBS_SECURITY_TOKEN", "RCLONE_CONFIG_PASS",
        "NODE_OPTIONS", "NODE_PATH",
    ];

    public ClientCommand Command(string tool, RunSpec spec) => tool switch
    {
        Ours => OursCommand(spec, _runner, null, inProcess: false),
        OursJit => OursCommand(spec, _runner, null, inProcess: true),
        "aws" => AwsCp(spec),
        "rclone" => Rclone(spec),
        SdkPeers.Node => _sdks.NodeCommand(spec),
        SdkPeers.TransferUtility => _sdks.TransferUtilityCommand(spec, AwsCredentials(spec.Server)),
        _ when _variants.TryGetValue(tool, out var variant) => OursCommand(spec, variant.Runner, variant.Environment, inProcess: false),
        _ => throw new ArgumentException($"unknown tool {tool}"),
    };

    /// <summary>Ours: the runner's front end (<c>--front-end</c>: the task's and the alias's path, which runs the call in
    /// obs-uploader; with <paramref name="inProcess"/> in the runner's own process), checkpointing on (as the MSBuild task
    /// ships).</summary>
    private ClientCommand OursCommand(RunSpec spec, string runner, IReadOnlyDictionary<string, string>? extraEnvironment, bool inProcess)
    {
        List<string> arguments = [.. TargetArguments(spec, _partSize), "--signature", "V4", "--checkpoint-dir", spec.CheckpointDirectory, "--front-end",
            .. inProcess ? ["--in-process"] : Array.Empty<string>(), .. spec.Files];
        var environment = ObsCredentials(spec.Server);
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        // A runner published as a native executable (NativeAOT) runs as it is; a runner assembly runs on `dotnet`.
        return runner.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ClientCommand("dotnet", [runner, .. arguments], environment)
            : new ClientCommand(runner, arguments, environment);
    }

    private ClientCommand AwsCp(RunSpec spec)
    {
        var arguments = new List<string> { "--endpoint-url", spec.Server.Endpoint, "s3", "cp" };
        if (spec.SourceDirectory is { } directory)
        {
            arguments.AddRange([directory, $"s3://{spec.Server.Bucket}/{spec.Prefix}", "--recursive"]);
        }
        else
        {
            arguments.AddRange([spec.Files.Single(), $"s3://{spec.Server.Bucket}/{spec.Prefix}{Path.GetFileName(spec.Files.Single())}"]);
        }

        arguments.Add("--no-progress");
        return new ClientCommand("/usr/bin/aws", arguments, AwsEnvironment(spec.Server, spec.TaskNum));
    }

    /// <summary>An awscli command for set-up and clean-up (not measured).</summary>
    public ClientCommand Aws(Server server, params string[] arguments) =>
        new("/usr/bin/aws", new[] { "--endpoint-url", server.Endpoint }.Concat(arguments).ToList(), AwsEnvironment(server, 10));

    private ClientCommand Rclone(RunSpec spec)
    {
        var chunk = SizeSuffix(_partSize);
        var concurrency = spec.TaskNum.ToString(CultureInfo.InvariantCulture);
        var remote = $"{spec.Server.Name}:{spec.Server.Bucket}/{spec.Prefix}";
        var arguments = new List<string> { "--config", RcloneConfig(spec.Server) };
        if (spec.SourceDirectory is { } directory)
        {
            arguments.AddRange(["copy", directory, remote.TrimEnd('/')]);
        }
        else
        {
            arguments.AddRange(["copyto", spec.Files.Single(), remote + Path.GetFileName(spec.Files.Single())]);
        }

        arguments.AddRange([
            "--s3-chunk-size", chunk, "--s3-upload-cutoff", chunk, "--s3-upload-concurrency", concurrency,
            "--transfers", concurrency,
            // Ours stores no whole-file MD5; without this rclone reads every large file once more before sending.
            "--s3-disable-checksum",
            "-q",
        ]);
        return new ClientCommand("/usr/bin/rclone", arguments, BaseEnvironment());
    }

    private Dictionary<string, string?> AwsEnvironment(Server server, int taskNum)
    {
        var environment = AwsCredentials(server);
        environment["AWS_CONFIG_FILE"] = AwsConfig(taskNum);
        environment["AWS_PAGER"] = "";
        return environment;
    }

    /// <summary>The server's keys as AWS_* variables, and nothing else of an AWS configuration (no files, no instance metadata).</summary>
    private Dictionary<string, string?> AwsCredentials(Server server)
    {
        var (accessKey, secret) = server.Credentials;
        var environment = BaseEnvironment();
        environment["AWS_CONFIG_FILE"] = Path.Combine(_workDirectory, "config", "no-config");
        environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_workDirectory, "config", "no-credentials");
        environment["AWS_ACCESS_KEY_ID"] = accessKey;
        environment["AWS_SECRET_ACCESS_KEY"] = secret;
        environment["AWS_EC2_METADATA_DISABLED"] = "true";
        return environment;
    }

    /// <summary>The server's keys as OBS_* variables (ours and the esdk-obs-nodejs peer read them).</summary>
    public static Dictionary<string, string?> ObsCredentials(Server server)
    {
        var (accessKey, secret) = server.Credentials;
        var environment = BaseEnvironment();
        environment["OBS_ACCESS_KEY_ID"] = accessKey;
        environment["OBS_SECRET_ACCESS_KEY"] = secret;
        return environment;
    }

    private static Dictionary<string, string?> BaseEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Scrubbed)
        {
            environment[name] = null;
        }

        return environment;
    }

    /// <summary>awscli's s3 settings: part size, threshold and concurrency as ours; path style.</summary>
    private string AwsConfig(int taskNum)
    {
        var path = Path.Combine(_workDirectory, "config", $"aws-t{taskNum}{(_awsSignPayload ? "-signed" : "")}.config");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var size = _partSize.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(path, $"""
            [default]
            region = us-east-1
            s3 =
                multipart_chunksize = {size}
                multipart_threshold = {size}
                max_concurrent_requests = {taskNum}
                addressing_style = path
            {(_awsSignPayload ? "" : "    payload_signing_enabled = false\n")}
            """);
        return path;
    }

    private string RcloneConfig(Server server)
    {
        var path = Path.Combine(_workDirectory, "config", $"rclone-{server.Name}.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var (accessKey, secret) = server.Credentials;
        File.WriteAllText(path, $"""
            [{server.Name}]
            type = s3
            provider = Other
            env_auth = false
            access_key_id = {accessKey}
            secret_access_key = {secret}
            region = us-east-1
            endpoint = {server.Endpoint}
            force_path_style = true

            """);
        return path;
    }

    /// <summary>rclone reads a bare number as KiB: say the unit.</summary>
    private static string SizeSuffix(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)}Mi" : bytes % 1024 == 0 ? $"{bytes / 1024}Ki" : $"{bytes}B";
}
