using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Wire;

/// <summary>
/// A request body that streams one byte range of the file and hashes it (MD5) on the way, so a part is read once and
/// never held in memory whole. One instance serves one attempt.
/// </summary>
/// <remarks>
/// Two pooled chunks take turns: while one is being written to the connection, the next is read and hashed into the
/// other, so a send that waits for the socket does not hold up the hashing. A chunk is hashed before it is sent and
/// never touched again until its send has completed: the MD5 is the one of exactly the bytes sent.
/// </remarks>
internal sealed class FileRangeContent : HttpContent
{
    /// <summary>The size of one chunk; an attempt holds two.</summary>
    private const int ChunkSize = 128 * 1024;

    private readonly FileSlice _slice;
    private readonly Action<int> _onChunkSent;
    private byte[]? _md5;

    /// <param name="slice">What to send; the content reads the file by offset and does not own it.</param>
    /// <param name="onChunkSent">Called after each chunk is written to the connection, with its size.</param>
    public FileRangeContent(FileSlice slice, Action<int> onChunkSent)
    {
        _slice = slice;
        _onChunkSent = onChunkSent;
    }

    /// <summary>The MD5 of the bytes sent, available once the whole body has been written.</summary>
    public byte[] Md5 => _md5 ?? throw new InvalidOperationException("The body has not been sent completely.");

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var chunkSize = (int)Math.Clamp(_slice.Length, 1, ChunkSize);
        var buffer = ArrayPool<byte>.Shared.Rent(2 * chunkSize);
        try
        {
            var half = 0;
            var current = ReadAndHash(md5, buffer.AsMemory(0, chunkSize), 0);
            for (long done = 0; done < _slice.Length;)
            {
                var sending = stream.WriteAsync(current, cancellationToken);
                done += current.Length;
                half ^= 1;
                Memory<byte> next;
                try
                {
                    next = ReadAndHash(md5, buffer.AsMemory(half * chunkSize, chunkSize), done);
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

        var sent = md5.GetHashAndReset();
        if (_slice.ExpectedMd5 is { } expected && !sent.AsSpan().SequenceEqual(expected))
        {
            throw _slice.File.ContentChanged();
        }

        _md5 = sent;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _slice.Length;
        return true;
    }

    /// <summary>Reads the chunk of the slice that starts <paramref name="done"/> bytes in into <paramref name="into"/>
    /// and hashes it; empty past the end.</summary>
    private Memory<byte> ReadAndHash(IncrementalHash md5, Memory<byte> into, long done)
    {
        var chunk = into[..(int)Math.Min(into.Length, _slice.Length - done)];
        _slice.File.Read(_slice.Offset + done, chunk.Span);
        md5.AppendData(chunk.Span);
        return chunk;
    }
}
