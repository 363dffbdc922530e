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

    /// <summary>An S3 XML error document; see <see cref="S3ErrorBody"/>.</summary>
    /// <param name="code">The error code put in <c>&lt;Code&gt;</c>, e.g. <c>InternalError</c>.</param>
    /// <param name="message">The text put in <c>&lt;Message&gt;</c>.</param>
    public static S3ErrorBody S3Error(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(message);
        return new S3ErrorBody(code, message);
    }

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
}
