using System.Globalization;
using ObsBuildTasks;

// Usage: ObsBuildTasks.Runner --endpoint URL --bucket B --key-prefix P --part-size N --task-num N
//                             [--signature Auto|Obs|V4|V2] [--checkpoint-dir DIR] [--max-retries N] [--idle-timeout SECONDS] FILE...
// Credentials come from OBS_ACCESS_KEY_ID / OBS_SECRET_ACCESS_KEY. Prints "progress TRANSFERRED TOTAL" lines while
// uploading, one "done KEY ETAG parts=N reused=N sent=N" line per file, and a last "runtime ..." line (bytes allocated,
// collections, methods JIT-compiled and the time spent compiling them: what the benchmark's CPU figures are made of);
// exits 1 on any failure.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var files = new List<string>();
for (var index = 0; index < args.Length; index++)
{
    if (args[index].StartsWith("--", StringComparison.Ordinal))
    {
        options[args[index][2..]] = args[++index];
    }
    else
    {
        files.Add(args[index]);
    }
}

string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
var taskNum = int.Parse(Option("task-num", "1"), CultureInfo.InvariantCulture);
var partSize = long.Parse(Option("part-size", UploadFileRequest.DefaultPartSize.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var checkpointDirectory = options.GetValueOrDefault("checkpoint-dir");

using var client = new ObsClient(new ObsClientOptions
{
    Endpoint = Option("endpoint", "http://127.0.0.1:18080"),
    AccessKeyId = Environment.GetEnvironmentVariable("OBS_ACCESS_KEY_ID") ?? "",
    SecretAccessKey = Environment.GetEnvironmentVariable("OBS_SECRET_ACCESS_KEY") ?? "",
    Signature = Enum.Parse<SignatureType>(Option("signature", "Auto"), ignoreCase: true),
    Region = options.GetValueOrDefault("region"),
    MaxRetries = int.Parse(Option("max-retries", ObsClientOptions.DefaultMaxRetries.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
    IdleTimeout = TimeSpan.FromSeconds(double.Parse(Option("idle-timeout", ObsClientOptions.DefaultIdleTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture)),
});

var requests = files.Select(file => new UploadFileRequest(Option("bucket", "obs-tests"), Option("key-prefix", "") + Path.GetFileName(file), file)
{
    PartSize = partSize,
    TaskNum = taskNum,
    EnableCheckpoint = checkpointDirectory is not null,
    CheckpointFile = checkpointDirectory is null ? null : Path.Combine(checkpointDirectory, Path.GetFileName(file) + ".json"),
    ProgressInterval = TimeSpan.FromMilliseconds(100),
    ProgressCallback = progress => Console.WriteLine($"progress {progress.TransferredBytes} {progress.TotalBytes}"),
}).ToList();

var outcomes = await client.UploadFilesAsync(requests, taskNum);
foreach (var outcome in outcomes)
{
    Console.WriteLine(outcome.Result is { } result
        ? $"done {result.ObjectKey} {result.ETag} parts={result.PartCount} reused={result.PartsReused} sent={result.BytesSent}"
        : $"failed {outcome.Request.ObjectKey}: {outcome.Error!.Message}");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"runtime allocated={GC.GetTotalAllocatedBytes()} gc={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} jit-methods={System.Runtime.JitInfo.GetCompiledMethodCount()} jit-ms={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0}"));
return outcomes.All(outcome => outcome.Succeeded) ? 0 : 1;
