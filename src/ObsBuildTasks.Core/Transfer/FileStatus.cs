using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// What the file system tells of a file beyond its size and last write time, where the platform tells it (Linux, through
/// <c>statx</c>): whether it is a regular file, and when its inode last changed (<c>ctime</c>: set by every write and
/// by every change of its times, so a file rewritten with its last write time put back still shows the change).
/// Elsewhere, or where <c>statx</c> is refused, nothing is known (<see langword="null"/>), and size and last write time
/// alone tell a changed file.
/// </summary>
/// <param name="IsRegularFile">Not a pipe, device, socket or directory: a file whose size is known in advance.</param>
/// <param name="ChangeTime">The inode's last change, in nanoseconds since 1970.</param>
internal readonly record struct FileStatus(bool IsRegularFile, long ChangeTime)
{
    private const int CurrentDirectory = -100;
    private const int EmptyPath = 0x1000;
    private const uint TypeAndChangeTime = 0x1 | 0x80;
    private const int FileTypeMask = 0xF000;
    private const int RegularFileType = 0x8000;

    /// <summary>The status of the file at <paramref name="path"/>, without opening it (a pipe is never waited on).</summary>
    public static FileStatus? Of(string path) => Query(CurrentDirectory, path, 0);

    /// <summary>The status of the open file.</summary>
    public static FileStatus? Of(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Query((int)handle.DangerousGetHandle(), "", EmptyPath);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static FileStatus? Query(int directory, string path, int flags)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Native.statx(directory, NullTerminatedUtf8(path), flags, TypeAndChangeTime, out var status) == 0 && (status.Mask & TypeAndChangeTime) == TypeAndChangeTime
                ? new FileStatus((status.Mode & FileTypeMask) == RegularFileType, status.ChangeTimeSeconds * 1_000_000_000 + status.ChangeTimeNanoseconds)
                : null;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static byte[] NullTerminatedUtf8(string path)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>The fields of Linux's <c>struct statx</c> (a fixed layout on every architecture) that are read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(96)] public long ChangeTimeSeconds;
        [FieldOffset(104)] public uint ChangeTimeNanoseconds;
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int directory, byte[] path, int flags, uint mask, out StatxBuffer status);
    }
}
