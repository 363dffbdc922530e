using System.Globalization;
using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Copies a response body from the upstream reader according to its framing: byte for byte, or its content alone
/// (chunk framing removed), up to a limit.
/// </summary>
internal static class ResponseBodyRelay
{
    /// <summary>Moves the response body from upstream to <paramref name="destination"/>, or discards it when that is null.</summary>
    public static async Task RelayAsync(
        HttpStreamReader upstream, HttpResponseHead response, ResponseFraming framing, Stream? destination, CancellationToken cancellationToken)
    {
        switch (framing)
        {
            case ResponseFraming.ContentLength:
                await upstream.CopyExactlyAsync(destination, response.ContentLength, cancellationToken).ConfigureAwait(false);
                break;
            case ResponseFraming.Chunked:
                await RelayChunkedAsync(upstream, destination, cancellationToken).ConfigureAwait(false);
                break;
            case ResponseFraming.UntilClose:
                await upstream.CopyToEndAsync(destination, cancellationToken).ConfigureAwait(false);
                break;
            case ResponseFraming.None:
            default:
                break;
        }
    }

    /// <summary>
    /// Moves at most <paramref name="limit"/> bytes of the body's content (without chunk framing) to
    /// <paramref name="destination"/>.
    /// </summary>
    /// <returns>
    /// Whether the body was read to its end; if not, the rest is still unread and the connection cannot carry another
    /// exchange.
    /// </returns>
    public static async Task<bool> CopyContentAsync(
        HttpStreamReader upstream, HttpResponseHead response, ResponseFraming framing, Stream destination, long limit, CancellationToken cancellationToken)
    {
        switch (framing)
        {
            case ResponseFraming.ContentLength:
                await upstream.CopyExactlyAsync(destination, Math.Min(limit, response.ContentLength), cancellationToken).ConfigureAwait(false);
                return limit >= response.ContentLength;
            case ResponseFraming.Chunked:
                return await CopyChunkedContentAsync(upstream, destination, limit, cancellationToken).ConfigureAwait(false);
            case ResponseFraming.UntilClose:
                return await upstream.CopyAsync(destination, limit, onCopied: null, cancellationToken).ConfigureAwait(false) < limit;
            case ResponseFraming.None:
            default:
                return true;
        }
    }

    /// <summary>Relays a chunked body verbatim: chunk-size lines, chunk data, the last chunk and any trailers.</summary>
    private static async Task RelayChunkedAsync(HttpStreamReader upstream, Stream? destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var sizeLine = await upstream.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            await WriteAsync(destination, sizeLine, cancellationToken).ConfigureAwait(false);
            var size = ParseChunkSize(sizeLine);
            if (size == 0)
            {
                await RelayTrailersAsync(upstream, destination, cancellationToken).ConfigureAwait(false);
                return;
            }

            await upstream.CopyExactlyAsync(destination, size + 2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the data of a chunked body's chunks, at most <paramref name="limit"/> bytes.</summary>
    /// <returns>Whether the body was read to its end (last chunk and trailers included).</returns>
    private static async Task<bool> CopyChunkedContentAsync(HttpStreamReader upstream, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var remaining = limit;
        while (true)
        {
            var size = ParseChunkSize(await upstream.ReadLineAsync(cancellationToken).ConfigureAwait(false));
            if (size == 0)
            {
                await RelayTrailersAsync(upstream, destination: null, cancellationToken).ConfigureAwait(false);
                return true;
            }

            var take = Math.Min(size, remaining);
            await upstream.CopyExactlyAsync(destination, take, cancellationToken).ConfigureAwait(false);
            remaining -= take;
            if (take < size)
            {
                return false;
            }

            await upstream.CopyExactlyAsync(destination: null, 2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves the trailer fields after the last chunk, up to and including the blank line that ends them.</summary>
    private static async Task RelayTrailersAsync(HttpStreamReader upstream, Stream? destination, CancellationToken cancellationToken)
    {
        byte[] trailer;
        do
        {
            trailer = await upstream.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            await WriteAsync(destination, trailer, cancellationToken).ConfigureAwait(false);
        }
        while (trailer.Length > 2);
    }

    private static long ParseChunkSize(byte[] line)
    {
        var text = Encoding.Latin1.GetString(line, 0, line.Length - 2);
        var semicolon = text.IndexOf(';', StringComparison.Ordinal);
        var digits = (semicolon < 0 ? text : text[..semicolon]).Trim();
        return long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) && size >= 0
            ? size
            : throw new InvalidDataException($"Invalid chunk size line '{text}'.");
    }

    private static ValueTask WriteAsync(Stream? destination, byte[] bytes, CancellationToken cancellationToken) =>
        destination is null ? ValueTask.CompletedTask : destination.WriteAsync(bytes, cancellationToken);
}
