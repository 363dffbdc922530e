using System.Globalization;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>Declares and sends a made-up body (<see cref="ResponseBody"/>) with a given framing.</summary>
internal static class BodySender
{
    /// <summary>How a body of this length is framed unless asked otherwise: by length, or chunked when endless.</summary>
    public static ResponseFraming DefaultFraming(long? length) => length is null ? ResponseFraming.Chunked : ResponseFraming.ContentLength;

    /// <summary>Adds the header field that announces <paramref name="framing"/> (none for <see cref="ResponseFraming.UntilClose"/>).</summary>
    /// <param name="head">The head to add to.</param>
    /// <param name="framing">How the body will be delimited.</param>
    /// <param name="length">The body's length; required for <see cref="ResponseFraming.ContentLength"/>.</param>
    public static void Declare(ResponseHeadBuilder head, ResponseFraming framing, long? length)
    {
        switch (framing)
        {
            case ResponseFraming.ContentLength:
                head.Add("Content-Length", (length ?? throw new ArgumentException("An endless body cannot be framed by Content-Length.", nameof(length))).ToString(CultureInfo.InvariantCulture));
                break;
            case ResponseFraming.Chunked:
                head.Add("Transfer-Encoding", "chunked");
                break;
            case ResponseFraming.None:
            case ResponseFraming.UntilClose:
            default:
                break;
        }
    }

    /// <summary>Writes <paramref name="body"/> framed as <paramref name="framing"/> says (nothing for <see cref="ResponseFraming.None"/>).</summary>
    public static async Task SendAsync(ResponseBody body, BodyContext context, ResponseFraming framing, Stream destination, CancellationToken cancellationToken)
    {
        if (framing == ResponseFraming.None)
        {
            return;
        }

        if (framing != ResponseFraming.Chunked)
        {
            await body.WriteToAsync(destination, context, cancellationToken).ConfigureAwait(false);
            return;
        }

        var chunked = new ChunkedStream(destination);
        await body.WriteToAsync(chunked, context, cancellationToken).ConfigureAwait(false);
        await chunked.FinishAsync(cancellationToken).ConfigureAwait(false);
    }
}
