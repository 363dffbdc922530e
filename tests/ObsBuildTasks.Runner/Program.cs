using System.Diagnostics;
using System.Globalization;
using ObsBuildTasks;
using ObsBuildTasks.Runner;

// Usage: ObsBuildTasks.Runner --endpoint URL --bucket B --key-prefix P --part-size N --task-num N
//                             [--signature Auto|Obs|V4|V2] [--region R] [--checkpoint-dir DIR] [--max-retries N] [--idle-timeout SECONDS]
//                             [--front-end [--in-process]] FILE...
// Credentials come from OBS_ACCESS_KEY_ID / OBS_SECRET_ACCESS_KEY. Prints "progress TRANSFERRED TOTAL" lines while
// uploading, one "done KEY ETAG parts=N reused=N sent=N" line per file, and a last "runtime ..." line (bytes allocated,
// collections, methods JIT-compiled and the time spent compiling them, this process's own CPU seconds and peak RSS:
// what the benchmark's CPU and memory figures are made of); exits 1 on any failure.
//
// Without --front-end the runner calls the engine (ObsClient.UploadFilesAsync) itself: the kill-and-resume tests use
// that. With --front-end it runs what the MSBuild task and the Cake alias run: the front-end core prepares the call
// (UploadJob) and runs it in the obs-uploader process beside the engine, relaying what it says ("line", "warning",
// "error" lines; the uploader's "obs-uploader used ..." line among them); --in-process runs the same call in this
// process instead (InProcess = true). See docs/benchmark.md.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
var files = new List<string>();
for (var index = 0; index < args.Length; index++)
{
    if (args[index] is "--front-end" or "--in-process")
    {
        flags.Add(args[index][2..]);
    }
    else if (args[index].StartsWith("--", StringComparison.Ordinal))
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
var endpoint = Option("endpoint", "http://127.0.0.1:18080");
var bucket = Option("bucket", "obs-tests");
var keyPrefix = Option("key-prefix", "");
var maxRetries = int.Parse(Option("max-retries", ObsClientOptions.DefaultMaxRetries.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var idleTimeout = double.Parse(Option("idle-timeout", ObsClientOptions.DefaultIdleTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

bool succeeded;
if (flags.Contains("front-end"))
{
    succeeded = await FrontEndRun.RunAsync(new ObsBuildTasks.FrontEnd.UploadSettings
    {
        Bucket = bucket,
        Endpoint = endpoint,
        ObjectKeyPrefix = keyPrefix,
        PartSize = partSize,
        TaskNum = taskNum,
        EnableCheckpoint = checkpointDirectory is not null,
        CheckpointDirectory = checkpointDirectory,
        Signature = Option("signature", "Auto"),
        Region = options.GetValueOrDefault("region"),
        MaxRetries = maxRetries,
        IdleTimeoutSeconds = idleTimeout,
        InProcess = flags.Contains("in-process"),
    }, files).ConfigureAwait(false);
}
else
{
    using var client = new ObsClient(new ObsClientOptions
    {
        Endpoint = endpoint,
        AccessKeyId = Environment.GetEnvironmentVariable("OBS_ACCESS_KEY_ID") ?? "",
        SecretAccessKey = Environment.GetEnvironmentVariable("OBS_SECRET_ACCESS_KEY") ?? "",
        Signature = Enum.Parse<SignatureType>(Option("signature", "Auto"), ignoreCase: true),
        Region = options.GetValueOrDefault("region"),
        MaxRetries = maxRetries,
        IdleTimeout = TimeSpan.FromSeconds(idleTimeout),
    });

    var requests = files.Select(file => new UploadFileRequest(bucket, keyPrefix + Path.GetFileName(file), file)
    {
        PartSize = partSize,
        TaskNum = taskNum,
        EnableCheckpoint = checkpointDirectory is not null,
        CheckpointFile = checkpointDirectory is null ? null : Path.Combine(checkpointDirectory, Path.GetFileName(file) + ".json"),
        ProgressInterval = TimeSpan.FromMilliseconds(100),
        ProgressCallback = progress => Console.WriteLine($"progress {progress.TransferredBytes} {progress.TotalBytes}"),
    }).ToList();

    var outcomes = await client.UploadFilesAsync(requests, taskNum).ConfigureAwait(false);
    FrontEndRun.WriteOutcomes(outcomes);
    succeeded = outcomes.All(outcome => outcome.Succeeded);
}

using var self = Process.GetCurrentProcess();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"runtime allocated={GC.GetTotalAllocatedBytes()} gc={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} jit-methods={System.Runtime.JitInfo.GetCompiledMethodCount()} jit-ms={System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} cpu-s={self.TotalProcessorTime.TotalSeconds:0.00} peak-rss-kib={self.PeakWorkingSet64 / 1024}"));
return succeeded ? 0 : 1;
