namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// A buffered reader over one side of an HTTP/1.1 connection: it reads message heads and lines, and copies exact byte
/// counts onward, keeping whatever it read ahead for the next call. Not thread-safe; one reader per stream.
/// </summary>
internal sealed class HttpStreamReader
{
    /// <summary>The largest message head (start line plus headers) accepted; also the buffer size.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private static ReadOnlySpan<byte> HeadTerminator => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> LineTerminator => "\r\n"u8;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[MaxHeadBytes];
    private int _start;
    private int _end;

    /// <param name="stream">The connection stream to read; not owned.</param>
    public HttpStreamReader(Stream stream) => _stream = stream;

    private int Buffered => _end - _start;

    /// <summary>
    /// Reads one message head up to and including the blank line that ends it.
    /// </summary>
    /// <returns>The raw head, or <see langword="null"/> if the stream ended cleanly before its first byte.</returns>
    /// <exception cref="IOException">The stream ended inside the head.</exception>
    /// <exception cref="InvalidDataException">The head is larger than <see cref="MaxHeadBytes"/>.</exception>
    public Task<byte[]?> ReadHeadAsync(CancellationToken cancellationToken) =>
        ReadUntilAsync(HeadTerminator.ToArray(), cancellationToken);

    /// <summary>Reads one line including its CRLF (used for chunk-size lines and trailers).</summary>
    /// <exception cref="IOException">The stream ended before the line was complete.</exception>
    public async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken) =>
        await ReadUntilAsync(LineTerminator.ToArray(), cancellationToken).ConfigureAwait(false)
        ?? throw new IOException("The connection ended where a line was expected.");

    /// <summary>
    /// Waits until at least one byte can be read, without consuming it.
    /// </summary>
    /// <returns><see langword="true"/> if data is available; <see langword="false"/> if the stream ended.</returns>
    public async Task<bool> WaitForDataAsync(CancellationToken cancellationToken) =>
        Buffered > 0 || await FillAsync(cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>
    /// Moves up to <paramref name="count"/> bytes to <paramref name="destination"/> (or discards them when it is
    /// <see langword="null"/>), reporting each piece to <paramref name="onCopied"/> after it is written.
    /// </summary>
    /// <returns>How many bytes were moved; fewer than <paramref name="count"/> only if the stream ended first.</returns>
    public async Task<long> CopyAsync(Stream? destination, long count, Action<int>? onCopied, CancellationToken cancellationToken)
    {
        long copied = 0;
        while (copied < count)
        {
            if (Buffered == 0 && await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                break;
            }

            var piece = (int)Math.Min(Buffered, count - copied);
            if (destination is not null)
            {
                await destination.WriteAsync(_buffer.AsMemory(_start, piece), cancellationToken).ConfigureAwait(false);
            }

            _start += piece;
            copied += piece;
            onCopied?.Invoke(piece);
        }

        return copied;
    }

    /// <summary>Moves everything up to the end of the stream to <paramref name="destination"/> (or discards it).</summary>
    /// <returns>How many bytes were moved.</returns>
    public Task<long> CopyToEndAsync(Stream? destination, CancellationToken cancellationToken) =>
        CopyAsync(destination, long.MaxValue, onCopied: null, cancellationToken);

    /// <summary>Moves exactly <paramref name="count"/> bytes, failing if the stream ends first.</summary>
    /// <exception cref="IOException">The stream ended early.</exception>
    public async Task CopyExactlyAsync(Stream? destination, long count, CancellationToken cancellationToken)
    {
        var copied = await CopyAsync(destination, count, onCopied: null, cancellationToken).ConfigureAwait(false);
        if (copied < count)
        {
            throw new IOException($"The connection ended {count - copied} bytes before the end of the message body.");
        }
    }

    private async Task<byte[]?> ReadUntilAsync(byte[] terminator, CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var window = _buffer.AsSpan(_start, Buffered);
            var from = Math.Max(0, scanned - (terminator.Length - 1));
            var index = window[from..].IndexOf(terminator);
            if (index >= 0)
            {
                var length = from + index + terminator.Length;
                var result = window[..length].ToArray();
                _start += length;
                return result;
            }

            scanned = window.Length;
            if (window.Length >= _buffer.Length)
            {
                throw new InvalidDataException($"An HTTP message head or line is longer than {MaxHeadBytes} bytes.");
            }

            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return Buffered == 0 ? null : throw new IOException("The connection ended inside an HTTP message head.");
            }
        }
    }

    /// <summary>Reads more bytes into the buffer after what is already there.</summary>
    /// <returns>How many bytes were read; 0 at the end of the stream.</returns>
    private async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read;
    }
}
