using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ObsBuildTasks.Transfer;

/// <summary>Reads a byte range of an open file in chunks through one pooled buffer: what hashing a part and sending
/// it share.</summary>
internal static class FileRange
{
    /// <summary>Hands <paramref name="length"/> bytes from <paramref name="offset"/> to <paramref name="onChunk"/>,
    /// at most <paramref name="chunkSize"/> at a time.</summary>
    /// <exception cref="IOException">The file ended early: it changed while being read.</exception>
    public static async Task ReadAsync(SafeFileHandle file, long offset, long length, int chunkSize,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onChunk, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(chunkSize, Math.Max(length, 1)));
        try
        {
            for (long done = 0; done < length;)
            {
                var want = (int)Math.Min(buffer.Length, length - done);
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset + done, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"The file ended {length - done} bytes early: it changed while being uploaded.");
                }

                await onChunk(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                done += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
