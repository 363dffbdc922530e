using System.Globalization;
using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Frames what is written with <c>Transfer-Encoding: chunked</c>, one chunk per (non-empty) write;
/// <see cref="FinishAsync"/> writes the last chunk that ends the body.
/// </summary>
/// <param name="inner">Where the framed bytes go.</param>
internal sealed class ChunkedStream(Stream inner) : WriteOnlyStream(inner)
{
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return; // An empty chunk would end the body.
        }

        var size = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{buffer.Length:X}\r\n"));
        await Inner.WriteAsync(size, cancellationToken).ConfigureAwait(false);
        await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await Inner.WriteAsync(LineEnd, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the last chunk (no trailers).</summary>
    public ValueTask FinishAsync(CancellationToken cancellationToken) => Inner.WriteAsync(LastChunk, cancellationToken);
}
