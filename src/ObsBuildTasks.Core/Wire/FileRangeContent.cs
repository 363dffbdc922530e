using System.Net;
using System.Security.Cryptography;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Wire;

/// <summary>
/// A request body that streams one byte range of the file and hashes it (MD5) on the way, so a part is read once and
/// never held in memory whole. One instance serves one attempt.
/// </summary>
internal sealed class FileRangeContent : HttpContent
{
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
        await _slice.File.ReadAsync(_slice.Offset, _slice.Length, ChunkSize, async (chunk, token) =>
        {
            md5.AppendData(chunk.Span);
            await stream.WriteAsync(chunk, token).ConfigureAwait(false);
            _onChunkSent(chunk.Length);
        }, cancellationToken).ConfigureAwait(false);
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
}
