using System.Text.Json;
using System.Text.RegularExpressions;
using ObsBuildTasks.Wire;

namespace ObsBuildTasks.Transfer;

/// <summary>What reading a checkpoint found.</summary>
internal abstract record CheckpointReadResult
{
    /// <summary>No checkpoint: a fresh upload.</summary>
    public sealed record Missing : CheckpointReadResult;

    /// <summary>A checkpoint of the current version whose values are all well-formed.</summary>
    public sealed record Found(CheckpointDocument Document) : CheckpointReadResult;

    /// <summary>A file that cannot be used (damaged, cut short, another version), with the upload id if a well-formed
    /// one could still be read from it, so that the stale upload can be aborted.</summary>
    public sealed record Unusable(string Reason, string? SalvagedUploadId) : CheckpointReadResult;
}

/// <summary>
/// One checkpoint file, held under an exclusive lock (<c>{file}.lock</c>) for as long as this object lives so that two
/// processes never drive the same upload. Writes are atomic (temporary file, flush to disk, rename) and throttled.
/// </summary>
internal sealed partial class CheckpointFile : IDisposable
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    private readonly FileStream _lock;
    private readonly Lock _writeLock = new();
    private DateTime _lastSave = DateTime.MinValue;

    private CheckpointFile(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    public string Path { get; }

    /// <summary>Whether the checkpoint exists on disk (so that a next run can resume from it).</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>Takes the lock on <paramref name="path"/>.</summary>
    /// <exception cref="ObsException">Another process holds it.</exception>
    public static CheckpointFile Acquire(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        try
        {
            var lockStream = new FileStream(fullPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1,
                FileOptions.DeleteOnClose);
            return new CheckpointFile(fullPath, lockStream);
        }
        catch (IOException exception)
        {
            throw new ObsException("UploadFile", ObsErrorKind.CheckpointInUse,
                $"The checkpoint '{fullPath}' is in use by another upload (lock file '{fullPath}.lock'): two builds, or two target frameworks of one project, upload the same file to the same object at once. Upload it from one place only (in a multi-targeted project, once per project rather than per framework), or give each upload its own checkpoint.",
                innerException: exception);
        }
    }

    public CheckpointReadResult Read()
    {
        if (!File.Exists(Path))
        {
            return new CheckpointReadResult.Missing();
        }

        var text = File.ReadAllText(Path);
        try
        {
            var document = JsonSerializer.Deserialize(text, CheckpointJsonContext.Default.CheckpointDocument);
            if (document is null)
            {
                return new CheckpointReadResult.Unusable("it is empty", null);
            }

            return document.Problem() is { } problem
                ? new CheckpointReadResult.Unusable(problem, UploadIds.IsValid(document.UploadId) ? document.UploadId : null)
                : new CheckpointReadResult.Found(document);
        }
        catch (JsonException exception)
        {
            return new CheckpointReadResult.Unusable($"it is not valid ({exception.Message})", SalvageUploadId(text));
        }
    }

    /// <summary>Writes the document <paramref name="build"/> makes, unless the last write was under a second ago and
    /// <paramref name="force"/> is false (then the document is not even built).</summary>
    public void Save(Func<CheckpointDocument> build, bool force)
    {
        lock (_writeLock)
        {
            var now = DateTime.UtcNow;
            if (!force && now - _lastSave < SaveInterval)
            {
                return;
            }

            var document = build();
            var temporary = $"{Path}.{Environment.ProcessId}.tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, document, CheckpointJsonContext.Default.CheckpointDocument);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
            _lastSave = now;
        }
    }

    public void Delete()
    {
        lock (_writeLock)
        {
            File.Delete(Path);
        }
    }

    public void Dispose() => _lock.Dispose();

    private static string? SalvageUploadId(string text) =>
        UploadIdPattern().Match(text) is { Success: true } match && UploadIds.IsValid(match.Groups[1].Value) ? match.Groups[1].Value : null;

    [GeneratedRegex("\"uploadId\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex UploadIdPattern();
}
