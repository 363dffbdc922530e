namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Answers the request locally; the upstream never sees it. The request body is read and discarded first (unless the
/// client waits for <c>100 Continue</c>, which it does not get: then the connection is closed after the answer). The
/// head has the status line, the framing field (<c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>, for a
/// status that allows a body), <c>x-amz-request-id: proxy-N</c>, <c>Connection: close</c> unless
/// <see cref="KeepAlive"/>, then <see cref="Headers"/>. A HEAD request gets the same head without the body.
/// </summary>
/// <param name="StatusCode">The HTTP status, any three-digit code, e.g. 200, 307 or 503.</param>
/// <param name="Body">What the body is.</param>
public sealed record RespondFault(int StatusCode, ResponseBody Body) : Fault
{
    /// <summary>Further header fields, in order, e.g. <c>Content-Type</c>, <c>Location</c> or a far-off <c>Date</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// How the body is delimited; <see langword="null"/> (the default) for <c>Content-Length</c>, or chunked when the
    /// body is endless. <see cref="ResponseFraming.UntilClose"/> implies <c>Connection: close</c>.
    /// </summary>
    public ResponseFraming? Framing { get; init; }

    /// <summary>Whether the connection stays open for the client's next request (no <c>Connection: close</c>).</summary>
    public bool KeepAlive { get; init; }

    /// <summary>How fast the body goes (the head goes at once); all at once when <see langword="null"/>.</summary>
    public Pace? Pace { get; init; }

    internal override bool UsesUpstream => false;

    /// <summary>An S3 XML error answer, with <c>Content-Type: application/xml</c>.</summary>
    internal static RespondFault S3Error(int statusCode, string errorCode, string message) =>
        new(statusCode, ResponseBody.S3Error(errorCode, message)) { Headers = [new("Content-Type", "application/xml")] };

    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        var bodyRead = !exchange.Request.ExpectsContinue;
        if (bodyRead)
        {
            await exchange.ReceiveRequestBodyAsync().ConfigureAwait(false);
        }

        var context = exchange.BodyContext;
        var length = Body.Length(context);
        var framing = Framing ?? BodySender.DefaultFraming(length);
        var head = new ResponseHeadBuilder(StatusCode);
        if (HttpResponseHead.AllowsBody(StatusCode))
        {
            BodySender.Declare(head, framing, length);
        }

        head.Add("x-amz-request-id", context.RequestId);
        if (!KeepAlive || !bodyRead || framing == ResponseFraming.UntilClose)
        {
            head.Add("Connection", "close");
        }

        foreach (var (name, value) in Headers)
        {
            head.Add(name, value);
        }

        return await exchange.AnswerAsync(head.Build(), Body, Pace).ConfigureAwait(false);
    }
}
