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
/// processes never drive the same upload. Writes are atomic (temporary file, flush to disk, rename; a failed write
/// deletes its temporary file) and throttled. The checkpoint, its lock and its temporary file have names within the
/// file system's limit (<see cref="SidecarName"/>).
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

    /// <summary>Takes the lock on <paramref name="path"/>; a file name longer than the file system takes (such as the
    /// default <c>{file}.obs-checkpoint.json</c> of a long file name) is cut short, keeping its extension
    /// (<see cref="SidecarName.Fit"/>).</summary>
    /// <exception cref="ObsException">Another process holds it (<see cref="ObsErrorKind.CheckpointInUse"/>), or its
    /// folder or lock file cannot be created or opened (<see cref="ObsErrorKind.LocalFile"/>).</exception>
    public static CheckpointFile Acquire(string path)
    {
        var fullPath = SidecarName.Fit(System.IO.Path.GetFullPath(path));
        var lockPath = SidecarName.For(fullPath, ".lock");
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
            var lockStream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return new CheckpointFile(fullPath, lockStream);
        }
        catch (IOException exception) when (HeldByAnother(exception))
        {
            throw new ObsException("UploadFile", ObsErrorKind.CheckpointInUse,
                $"The checkpoint '{fullPath}' is in use by another upload (lock file '{lockPath}'): two builds, or two target frameworks of one project, upload the same file to the same object at once. Upload it from one place only (in a multi-targeted project, once per project rather than per framework), or give each upload its own checkpoint.",
                innerException: exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ObsException("UploadFile", ObsErrorKind.LocalFile,
                $"The checkpoint '{fullPath}' cannot be used: its lock file '{lockPath}' could not be created: {exception.Message} Give the checkpoint a folder this build may write to (CheckpointDirectory, or the engine's CheckpointFile), or turn checkpoints off (EnableCheckpoint).",
                innerException: exception);
        }
    }

    /// <summary>Whether opening the lock file failed because another open file holds its lock: a sharing or lock
    /// violation on Windows; elsewhere the lock (<c>flock</c>) would block, which .NET reports as a plain
    /// <see cref="IOException"/> carrying <c>EWOULDBLOCK</c> (11 on Linux, 35 on macOS and the BSDs). Any other failure
    /// (a read-only or full file system, a name too long, a path that is not a folder) is not another upload.</summary>
    private static bool HeldByAnother(IOException exception) =>
        exception.GetType() == typeof(IOException) && (OperatingSystem.IsWindows()
            ? (exception.HResult & 0xFFFF) is 32 or 33
            : exception.HResult == (OperatingSystem.IsLinux() ? 11 : 35));

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
            var temporary = SidecarName.For(Path, $".{Environment.ProcessId}.tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    JsonSerializer.Serialize(stream, document, CheckpointJsonContext.Default.CheckpointDocument);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, Path, overwrite: true);
            }
            catch
            {
                // A full disk, say: the last checkpoint stays as it was, and no half-written file stays beside it.
                DeleteLeftover(temporary);
                throw;
            }

            _lastSave = now;
        }
    }

    /// <summary>Deletes what a failed write left; a failure to delete it too is not reported over the write's own.</summary>
    private static void DeleteLeftover(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The write's failure is the one to report; what is left is named in no checkpoint and harms nothing.
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
