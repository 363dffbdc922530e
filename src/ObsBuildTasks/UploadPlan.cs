using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ObsBuildTasks.MSBuild;

/// <summary>
/// What one <see cref="ObsUploadFile"/> call will do, read from its parameters, its items and the environment before
/// the node is yielded: the connection, and one request per file. Inputs the engine cannot judge (no endpoint, an
/// unknown signature, malformed metadata, two files for one key) are reported here.
/// </summary>
internal sealed class UploadPlan
{
    private UploadPlan(ObsClientOptions options, string bucket, IReadOnlyList<ITaskItem> items,
        IReadOnlyList<UploadFileRequest> requests, string? checkpointDirectory)
    {
        ClientOptions = options;
        Bucket = bucket;
        Items = items;
        Requests = requests;
        CheckpointDirectory = checkpointDirectory;
    }

    public string Bucket { get; }

    /// <summary>The task's input items, in the order of <see cref="Requests"/>.</summary>
    public IReadOnlyList<ITaskItem> Items { get; }

    public IReadOnlyList<UploadFileRequest> Requests { get; }

    /// <summary>The full path of the checkpoint folder, or <see langword="null"/> when checkpoints are off.</summary>
    public string? CheckpointDirectory { get; }

    /// <summary>Endpoint, credentials and signing for the client.</summary>
    public ObsClientOptions ClientOptions { get; }

    /// <summary>The plan, or <see langword="null"/> after logging why there is none. The engine's own messages go
    /// to <paramref name="engineLog"/>, each file's progress to <paramref name="progress"/>.</summary>
    public static UploadPlan? Create(ObsUploadFile task, TaskLoggingHelper log, Action<ObsLogLevel, string> engineLog, ProgressLog progress)
    {
        var endpoint = string.IsNullOrWhiteSpace(task.Endpoint) ? Environment.GetEnvironmentVariable("OBS_ENDPOINT") : task.Endpoint;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            log.LogErrorWithCodeFromResources(nameof(Strings.NoEndpoint));
            return null;
        }

        if (!TryParseSignature(task.Signature, out var signature))
        {
            log.LogErrorWithCodeFromResources(nameof(Strings.InvalidSignature), task.Signature);
            return null;
        }

        if (!MetadataList.TryParse(task.Metadata, out var metadata, out var malformed))
        {
            log.LogErrorWithCodeFromResources(nameof(Strings.MetadataSyntax), malformed);
            return null;
        }

        var keys = task.Files.Select(item => ObjectKeys.For(item, task.ObjectKeyPrefix)).ToList();
        if (FindDuplicate(keys) is var (first, second))
        {
            log.LogErrorWithCodeFromResources(nameof(Strings.DuplicateObjectKey), task.Files[first].ItemSpec,
                task.Files[second].ItemSpec, task.Bucket, keys[first]);
            return null;
        }

        var checkpointDirectory = task.EnableCheckpoint
            ? Path.GetFullPath(string.IsNullOrWhiteSpace(task.CheckpointDirectory) ? Path.Combine("obj", "obs") : task.CheckpointDirectory)
            : null;
        var options = new ObsClientOptions
        {
            Endpoint = endpoint.Trim(),
            AccessKeyId = Environment.GetEnvironmentVariable("OBS_ACCESS_KEY_ID") ?? "",
            SecretAccessKey = Environment.GetEnvironmentVariable("OBS_SECRET_ACCESS_KEY") ?? "",
            SecurityToken = Environment.GetEnvironmentVariable("OBS_SECURITY_TOKEN"),
            Signature = signature,
            Log = engineLog,
        };
        if (!string.IsNullOrWhiteSpace(task.Region))
        {
            options.Region = task.Region;
        }

        var requests = task.Files.Select((item, index) =>
        {
            var path = item.GetMetadata("FullPath");
            var request = new UploadFileRequest(task.Bucket, keys[index], path)
            {
                PartSize = task.PartSize,
                TaskNum = task.TaskNum,
                EnableCheckpoint = checkpointDirectory is not null,
                CheckSum = task.CheckSum,
                SkipUnchanged = task.SkipUnchanged,
                ProgressCallback = progress.Track(path),
                ProgressInterval = ProgressLog.SampleInterval,
            };
            request.CheckpointFile = checkpointDirectory is null ? null : request.CheckpointFileIn(checkpointDirectory, options.Endpoint);
            request.Headers.ContentType = NullIfEmpty(item.GetMetadata("ContentType")) ?? NullIfEmpty(task.ContentType);
            request.Headers.Acl = NullIfEmpty(task.Acl);
            request.Headers.StorageClass = NullIfEmpty(task.StorageClass);
            foreach (var (name, value) in metadata)
            {
                request.Metadata[name] = value;
            }

            return request;
        }).ToList();
        return new UploadPlan(options, task.Bucket, task.Files, requests, checkpointDirectory);
    }

    /// <summary>Accepts the names of <see cref="SignatureType"/> in any case (not its numbers); empty means OBS.</summary>
    private static bool TryParseSignature(string? text, out SignatureType signature)
    {
        signature = SignatureType.Obs;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var name = Enum.GetNames<SignatureType>().FirstOrDefault(name => name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null && Enum.TryParse(name, out signature);
    }

    private static (int First, int Second)? FindDuplicate(List<string> keys)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < keys.Count; index++)
        {
            if (!seen.TryAdd(keys[index], index))
            {
                return (seen[keys[index]], index);
            }
        }

        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
