using Microsoft.Win32.SafeHandles;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// The file being uploaded, open for the whole call, with the identity it had when opened (size, last write time and,
/// where the platform tells it, inode change time, of the open file and of its path: a file rewritten with its time put
/// back is still a changed file). Reads are by offset into the caller's buffer; a read that finds the file shorter
/// than when opened, and <see cref="EnsureUnchangedAsync"/> before anything is completed, turn a file that changed during
/// the upload into <see cref="ObsErrorKind.FileChanged"/>.
/// </summary>
internal sealed class LocalFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly DateTime _lastWriteTimeUtc;
    private readonly long? _changeTime;

    private LocalFile(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
        Length = RandomAccess.GetLength(handle);
        _lastWriteTimeUtc = File.GetLastWriteTimeUtc(handle);
        _changeTime = FileStatus.Of(handle)?.ChangeTime;
    }

    /// <summary>The full path.</summary>
    public string Path { get; }

    /// <summary>The size when the file was opened: what is uploaded.</summary>
    public long Length { get; }

    /// <summary>What tells this version of the file from another at the same path: its size, last write time and (where
    /// known) inode change time when it was opened.</summary>
    public FileVersion Version => new(Length, _lastWriteTimeUtc, _changeTime);

    /// <summary>Opens <paramref name="path"/> for reading (others may read it too, not write it, where the platform
    /// enforces that).</summary>
    /// <exception cref="ObsException">The file says it is empty but has bytes (a file of <c>/proc</c>): its size is not
    /// known in advance, so it cannot be uploaded.</exception>
    public static LocalFile Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var file = new LocalFile(fullPath, File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.None));
        if (file.Length == 0 && RandomAccess.Read(file._handle, stackalloc byte[1], 0) > 0)
        {
            file.Dispose();
            throw new ObsException("UploadFile", ObsErrorKind.LocalFile,
                $"'{fullPath}' reports a size of 0 bytes but has content (a file the system makes up as it is read, such as one of /proc): its size is not known in advance, so it cannot be uploaded. Copy it to a regular file and upload that.");
        }

        return file;
    }

    /// <summary>Fills <paramref name="buffer"/> with the bytes from <paramref name="offset"/> on.</summary>
    /// <remarks>Synchronous on purpose: a read from the page cache is a copy far shorter than a thread-pool hop, and the
    /// callers are CPU-bound (hashing) already.</remarks>
    /// <exception cref="ObsException">The file ended early: it was cut short during the upload.</exception>
    public void Read(long offset, Span<byte> buffer)
    {
        for (var done = 0; done < buffer.Length;)
        {
            var read = RandomAccess.Read(_handle, buffer[done..], offset + done);
            if (read == 0)
            {
                throw Changed($"it is now shorter than the {Length} bytes it had when the upload started", NothingCompleted);
            }

            done += read;
        }
    }

    /// <summary>What a failure before Complete means for the stored object.</summary>
    public const string NothingCompleted = "Nothing was completed, so the stored object is as it was before";

    /// <summary>Checks that the open file and the file at <see cref="Path"/> are still the one that was opened: same size,
    /// last write time and (where known) inode change time. Called before an upload is completed, so that a file
    /// rewritten, resized or replaced meanwhile never becomes an object.</summary>
    /// <param name="consequence">What the change means for the stored object, for the message.</param>
    /// <param name="hasUploadedBytes">Hashes the file again and tells whether it still has the bytes that were uploaded:
    /// asked only when nothing but the inode changed (a hard link, a permission change, or a write whose last write
    /// time was put back), which only the bytes can settle.</param>
    /// <exception cref="ObsException">It changed.</exception>
    public async Task EnsureUnchangedAsync(string consequence, Func<Task<bool>> hasUploadedBytes)
    {
        var atPath = new FileInfo(Path);
        if (!atPath.Exists)
        {
            throw Changed("it was deleted while it was being uploaded", consequence);
        }

        if (RandomAccess.GetLength(_handle) != Length || File.GetLastWriteTimeUtc(_handle) != _lastWriteTimeUtc)
        {
            throw Changed("it was written to while it was being uploaded", consequence);
        }

        // Unlinking or writing the open file changes its inode's change time; a file moved over the path has its own.
        var openChangeTime = FileStatus.Of(_handle)?.ChangeTime;
        if (atPath.Length != Length || atPath.LastWriteTimeUtc != _lastWriteTimeUtc || FileStatus.Of(Path)?.ChangeTime != openChangeTime)
        {
            throw Changed("another file took its place while it was being uploaded", consequence);
        }

        if (openChangeTime != _changeTime && !await hasUploadedBytes().ConfigureAwait(false))
        {
            throw Changed("it was written to while it was being uploaded, and its last write time was put back", consequence);
        }
    }

    /// <summary>The failure for a file whose bytes differ from what was read before (a part hashed for Content-MD5).</summary>
    public ObsException ContentChanged() => Changed("its bytes differ from what was read a moment before", NothingCompleted);

    public void Dispose() => _handle.Dispose();

    private ObsException Changed(string how, string consequence) => new("UploadFile", ObsErrorKind.FileChanged,
        $"'{Path}' changed during the upload: {how}. {consequence}; run the build again once the file is final.");
}

/// <summary>The size, last write time and (where known, <see cref="FileStatus"/>) inode change time of a file when it was
/// opened (<see cref="LocalFile.Version"/>).</summary>
internal readonly record struct FileVersion(long Length, DateTime LastWriteTimeUtc, long? ChangeTime);
