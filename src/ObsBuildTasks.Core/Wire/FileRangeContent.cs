using System.Net;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Wire;

/// <summary>
/// A request body that streams one byte range of a file and hashes it (MD5) on the way, so a part is read once and
/// never held in memory whole. One instance serves one attempt.
/// </summary>
internal sealed class FileRangeContent : HttpContent
{
    private const int ChunkSize = 128 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _offset;
    private readonly long _length;
    private readonly Action<int> _onChunkSent;
    private byte[]? _md5;

    /// <param name="file">An open handle; the content reads it by offset and does not own it.</param>
    /// <param name="offset">Where the range starts.</param>
    /// <param name="length">How many bytes to send.</param>
    /// <param name="onChunkSent">Called after each chunk is written to the connection, with its size.</param>
    public FileRangeContent(SafeFileHandle file, long offset, long length, Action<int> onChunkSent)
    {
        _file = file;
        _offset = offset;
        _length = length;
        _onChunkSent = onChunkSent;
    }

    /// <summary>The MD5 of the bytes sent, available once the whole body has been written.</summary>
    public byte[] Md5 => _md5 ?? throw new InvalidOperationException("The body has not been sent completely.");

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await FileRange.ReadAsync(_file, _offset, _length, ChunkSize, async (chunk, token) =>
        {
            md5.AppendData(chunk.Span);
            await stream.WriteAsync(chunk, token).ConfigureAwait(false);
            _onChunkSent(chunk.Length);
        }, cancellationToken).ConfigureAwait(false);
        _md5 = md5.GetHashAndReset();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
