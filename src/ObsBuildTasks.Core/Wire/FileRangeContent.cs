using System.Buffers;
using System.Net;

namespace ObsBuildTasks.Wire;

/// <summary>
/// A request body that streams one byte range of the file, so a part is never held in memory whole. One instance serves
/// one attempt. The range was hashed beforehand; the server checks the bytes against that MD5 (<c>Content-MD5</c>) and
/// its ETag is checked against it too (<see cref="FileBody"/>).
/// </summary>
/// <remarks>
/// Two pooled chunks take turns: while one is being written to the connection, the next is read into the other. A
/// chunk is never touched again until its send has completed.
/// </remarks>
internal sealed class FileRangeContent : HttpContent
{
    /// <summary>The size of one chunk; an attempt holds two.</summary>
    private const int ChunkSize = 128 * 1024;

    private readonly FileSlice _slice;
    private readonly Action<int> _onChunkSent;

    /// <param name="slice">What to send; the content reads the file by offset and does not own it.</param>
    /// <param name="onChunkSent">Called after each chunk is written to the connection, with its size.</param>
    public FileRangeContent(FileSlice slice, Action<int> onChunkSent)
    {
        _slice = slice;
        _onChunkSent = onChunkSent;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var chunkSize = (int)Math.Clamp(_slice.Length, 1, ChunkSize);
        var buffer = ArrayPool<byte>.Shared.Rent(2 * chunkSize);
        try
        {
            var half = 0;
            var current = Read(buffer.AsMemory(0, chunkSize), 0);
            for (long done = 0; done < _slice.Length;)
            {
                var sending = stream.WriteAsync(current, cancellationToken);
                done += current.Length;
                half ^= 1;
                Memory<byte> next;
                try
                {
                    next = Read(buffer.AsMemory(half * chunkSize, chunkSize), done);
                }
                finally
                {
                    // Never leave a write running over the buffer, even when the read failed.
                    await sending.ConfigureAwait(false);
                }

                _onChunkSent(current.Length);
                current = next;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _slice.Length;
        return true;
    }

    /// <summary>Reads the chunk of the slice that starts <paramref name="done"/> bytes in into <paramref name="into"/>;
    /// empty past the end.</summary>
    private Memory<byte> Read(Memory<byte> into, long done)
    {
        var chunk = into[..(int)Math.Min(into.Length, _slice.Length - done)];
        _slice.File.Read(_slice.Offset + done, chunk.Span);
        return chunk;
    }
}
