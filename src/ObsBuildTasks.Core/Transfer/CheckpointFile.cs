using System.Text.Json;
using System.Text.RegularExpressions;

namespace ObsBuildTasks.Transfer;

/// <summary>What reading a checkpoint found.</summary>
internal abstract record CheckpointReadResult
{
    /// <summary>No checkpoint: a fresh upload.</summary>
    public sealed record Missing : CheckpointReadResult;

    /// <summary>A checkpoint of the current version.</summary>
    public sealed record Found(CheckpointDocument Document) : CheckpointReadResult;

    /// <summary>A file that could not be used (damaged, cut short, another version), with the upload id if one
    /// could still be read from it so the stale upload can be aborted.</summary>
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
            throw new ObsException("UploadFile",
                $"The checkpoint '{fullPath}' is in use by another upload (lock file '{fullPath}.lock'). Wait for it to finish, or give this upload its own checkpoint file.",
                errorCode: ObsErrorCodes.CheckpointInUse, innerException: exception);
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

            return document.Version == CheckpointDocument.CurrentVersion
                ? new CheckpointReadResult.Found(document)
                : new CheckpointReadResult.Unusable($"it has format version {document.Version}, this version reads {CheckpointDocument.CurrentVersion}", document.UploadId);
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
        UploadIdPattern().Match(text) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("\"uploadId\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex UploadIdPattern();
}
