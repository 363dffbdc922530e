using System.Globalization;
using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>Copies a response body from the upstream reader according to its framing, byte for byte.</summary>
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
                byte[] trailer;
                do
                {
                    trailer = await upstream.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    await WriteAsync(destination, trailer, cancellationToken).ConfigureAwait(false);
                }
                while (trailer.Length > 2);

                return;
            }

            await upstream.CopyExactlyAsync(destination, size + 2, cancellationToken).ConfigureAwait(false);
        }
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
