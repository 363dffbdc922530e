using System.Text;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// The body of an answer the proxy makes up (see <see cref="RespondFault"/>): fixed bytes, an S3 XML error, or bytes
/// generated on the fly, any number of them or without end, never held in memory.
/// </summary>
public abstract record ResponseBody
{
    private protected ResponseBody()
    {
    }

    /// <summary>No body at all (<c>Content-Length: 0</c> when framed by length).</summary>
    public static ResponseBody Empty { get; } = new BytesBody(ReadOnlyMemory<byte>.Empty);

    /// <summary>Exactly these bytes, e.g. garbage that is not XML.</summary>
    public static ResponseBody FromBytes(ReadOnlyMemory<byte> bytes) => new BytesBody(bytes);

    /// <summary>This text encoded as UTF-8, e.g. an XML document, an empty one, or one cut short.</summary>
    public static ResponseBody FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new BytesBody(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// <paramref name="length"/> bytes made while they are sent, never held in memory (so gigabytes cost nothing): the
    /// UTF-8 <paramref name="prefix"/> (cut to <paramref name="length"/>), then the letter <c>x</c> repeated.
    /// </summary>
    /// <param name="length">The body's length in bytes, e.g. 3,000,000,000.</param>
    /// <param name="prefix">How the body starts, e.g. the opening of an XML error document.</param>
    public static ResponseBody Generated(long length, string prefix = "")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(prefix);
        return new GeneratedBody(prefix, length);
    }

    /// <summary>
    /// A body without end, made as <see cref="Generated"/> is: sent until the client goes away (or the proxy is
    /// disposed). It cannot be framed by <c>Content-Length</c>; it is chunked unless framed until close.
    /// </summary>
    /// <param name="prefix">How the body starts.</param>
    public static ResponseBody Endless(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new GeneratedBody(prefix, null);
    }

    /// <summary>
    /// Text made for each request from its <see cref="ProxiedRequest.Sequence"/> (which only grows), encoded as UTF-8,
    /// e.g. a listing page that names an ever-new marker.
    /// </summary>
    /// <param name="make">Makes the text from the request's sequence number.</param>
    public static ResponseBody PerRequest(Func<long, string> make)
    {
        ArgumentNullException.ThrowIfNull(make);
        return new PerRequestBody(make);
    }

    /// <summary>An S3 XML error document; see <see cref="S3ErrorBody"/>.</summary>
    /// <param name="code">The error code put in <c>&lt;Code&gt;</c>, e.g. <c>InternalError</c>.</param>
    /// <param name="message">The text put in <c>&lt;Message&gt;</c>.</param>
    public static S3ErrorBody S3Error(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(message);
        return new S3ErrorBody(code, message);
    }

    /// <summary>Whether the body has no end.</summary>
    internal virtual bool IsEndless => false;

    /// <summary>How many bytes the body has for the request described by <paramref name="context"/>; <see langword="null"/> when endless.</summary>
    internal abstract long? Length(BodyContext context);

    /// <summary>Writes the body for the request described by <paramref name="context"/>.</summary>
    internal abstract Task WriteToAsync(Stream destination, BodyContext context, CancellationToken cancellationToken);

    private sealed record BytesBody(ReadOnlyMemory<byte> Bytes) : ResponseBody
    {
        internal override long? Length(BodyContext context) => Bytes.Length;

        internal override Task WriteToAsync(Stream destination, BodyContext context, CancellationToken cancellationToken) =>
            destination.WriteAsync(Bytes, cancellationToken).AsTask();
    }

    private sealed record PerRequestBody(Func<long, string> Make) : ResponseBody
    {
        internal override long? Length(BodyContext context) => Render(context).Length;

        internal override Task WriteToAsync(Stream destination, BodyContext context, CancellationToken cancellationToken) =>
            destination.WriteAsync(Render(context), cancellationToken).AsTask();

        private byte[] Render(BodyContext context) => Encoding.UTF8.GetBytes(Make(context.Sequence));
    }

    /// <param name="Prefix">How the body starts.</param>
    /// <param name="TotalLength">The body's length, or <see langword="null"/> for no end.</param>
    private sealed record GeneratedBody(string Prefix, long? TotalLength) : ResponseBody
    {
        private const int PieceBytes = 64 * 1024;

        internal override bool IsEndless => TotalLength is null;

        internal override long? Length(BodyContext context) => TotalLength;

        internal override async Task WriteToAsync(Stream destination, BodyContext context, CancellationToken cancellationToken)
        {
            var remaining = TotalLength ?? long.MaxValue;
            var prefix = Encoding.UTF8.GetBytes(Prefix);
            var start = prefix.AsMemory(0, (int)Math.Min(prefix.Length, remaining));
            await destination.WriteAsync(start, cancellationToken).ConfigureAwait(false);
            remaining -= start.Length;
            var filler = new byte[PieceBytes];
            filler.AsSpan().Fill((byte)'x');
            while (remaining > 0)
            {
                var piece = (int)Math.Min(PieceBytes, remaining);
                await destination.WriteAsync(filler.AsMemory(0, piece), cancellationToken).ConfigureAwait(false);
                remaining -= piece;
            }
        }
    }
}
