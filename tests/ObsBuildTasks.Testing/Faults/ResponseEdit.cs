using System.Globalization;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// One change a <see cref="RewriteResponseFault"/> makes to the upstream's answer before relaying it: to a header
/// field, the status, or the body (at most one body edit per rule). Header and status edits are applied literally, in
/// order; editing <c>Content-Length</c> or <c>Transfer-Encoding</c> changes what the client expects, not what is sent.
/// </summary>
public abstract record ResponseEdit
{
    private protected ResponseEdit()
    {
    }

    /// <summary>Removes every header field with this name, e.g. <c>ETag</c>.</summary>
    public static ResponseEdit RemoveHeader(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new RemoveHeaderEdit(name);
    }

    /// <summary>
    /// Replaces every header field with this name by one with <paramref name="value"/> (added if absent), e.g.
    /// <c>SetHeader("ETag", "\"not-hex\"")</c>.
    /// </summary>
    public static ResponseEdit SetHeader(string name, string value)
    {
        ResponseHeadBuilder.Validate(name, value);
        return new SetHeaderEdit(name, value);
    }

    /// <summary>Adds a header field, keeping any with the same name, e.g. an extra <c>Location</c>.</summary>
    public static ResponseEdit AddHeader(string name, string value)
    {
        ResponseHeadBuilder.Validate(name, value);
        return new AddHeaderEdit(name, value);
    }

    /// <summary>Replaces the status (with its standard reason phrase), e.g. 500 for an answer the upstream gave as 200.</summary>
    public static ResponseEdit SetStatus(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        return new StatusEdit(statusCode);
    }

    /// <summary>
    /// Replaces the body (the upstream's is read and dropped) by <paramref name="body"/>, framed by its own
    /// <c>Content-Length</c> (chunked when endless), e.g. an <c>&lt;Error&gt;</c> document in a 200 answer.
    /// </summary>
    public static ResponseEdit ReplaceBody(ResponseBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new ReplaceBodyEdit(body);
    }

    /// <summary>
    /// Relays the body's content with <paramref name="spaces"/> spaces sent one at a time, <paramref name="interval"/>
    /// apart, after its XML declaration (or before it, when it has none): how S3 keeps a CompleteMultipartUpload answer
    /// alive while it assembles a large object.
    /// </summary>
    public static ResponseEdit KeepAliveWhitespace(int spaces, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spaces);
        return new KeepAliveEdit(spaces, interval);
    }

    /// <summary>
    /// Sends only the first <paramref name="afterBytes"/> bytes of the body's content, with consistent framing (a
    /// <c>Content-Length</c> body gets the shorter length, a chunked one ends with its last chunk): the client sees a
    /// complete but cut document, e.g. truncated XML.
    /// </summary>
    public static ResponseEdit TruncateBody(long afterBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterBytes);
        return new TruncateBodyEdit(afterBytes, Reset: false);
    }

    /// <summary>
    /// Sends the head unchanged (its framing promises the whole body), only the first <paramref name="afterBytes"/>
    /// bytes of the body's content (re-chunked when chunked), then resets the connection.
    /// </summary>
    public static ResponseEdit CutBody(long afterBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterBytes);
        return new TruncateBodyEdit(afterBytes, Reset: true);
    }

    /// <summary>Applies the edit to the head to be sent; body edits leave it to <see cref="BodyEdit.SendAsync"/>.</summary>
    internal virtual void EditHead(ResponseHeadBuilder head)
    {
    }

    /// <summary>An edit of the body, which decides how the whole answer is sent.</summary>
    internal abstract record BodyEdit : ResponseEdit
    {
        /// <summary>Sends the answer: <paramref name="head"/> (other edits applied) and the edited body.</summary>
        /// <param name="exchange">The exchange, its request already forwarded.</param>
        /// <param name="response">The upstream's answer, whose body is still unread.</param>
        /// <param name="head">The head to send, which this edit may change further.</param>
        internal abstract Task<ExchangeEnding> SendAsync(Exchange exchange, HttpResponseHead response, ResponseHeadBuilder head);
    }

    private sealed record RemoveHeaderEdit(string Name) : ResponseEdit
    {
        internal override void EditHead(ResponseHeadBuilder head) => head.Remove(Name);
    }

    private sealed record SetHeaderEdit(string Name, string Value) : ResponseEdit
    {
        internal override void EditHead(ResponseHeadBuilder head) => head.Set(Name, Value);
    }

    private sealed record AddHeaderEdit(string Name, string Value) : ResponseEdit
    {
        internal override void EditHead(ResponseHeadBuilder head) => head.Add(Name, Value);
    }

    private sealed record StatusEdit(int StatusCode) : ResponseEdit
    {
        internal override void EditHead(ResponseHeadBuilder head) => head.WithStatus(StatusCode);
    }

    private sealed record ReplaceBodyEdit(ResponseBody Body) : BodyEdit
    {
        internal override async Task<ExchangeEnding> SendAsync(Exchange exchange, HttpResponseHead response, ResponseHeadBuilder head)
        {
            await exchange.DiscardResponseBodyAsync(response).ConfigureAwait(false);
            var length = Body.Length(exchange.BodyContext);
            BodySender.Declare(head.Remove("Content-Length").Remove("Transfer-Encoding"), BodySender.DefaultFraming(length), length);
            return await exchange.AnswerAsync(head.Build(), Body).ConfigureAwait(false);
        }
    }

    private sealed record KeepAliveEdit(int Spaces, TimeSpan Interval) : BodyEdit
    {
        internal override async Task<ExchangeEnding> SendAsync(Exchange exchange, HttpResponseHead response, ResponseHeadBuilder head)
        {
            using var content = new MemoryStream();
            await exchange.CopyResponseContentAsync(response, content, long.MaxValue).ConfigureAwait(false);
            var bytes = content.ToArray();
            var declarationEnd = bytes.AsSpan().StartsWith("<?xml"u8) ? bytes.AsSpan().IndexOf("?>"u8) + 2 : 0;
            BodySender.Declare(head.Remove("Content-Length").Remove("Transfer-Encoding"), ResponseFraming.ContentLength, Spaces + bytes.Length);
            var sent = head.Build();
            var body = await exchange.BeginResponseAsync(sent).ConfigureAwait(false);
            await body.WriteAsync(bytes.AsMemory(0, declarationEnd), exchange.CancellationToken).ConfigureAwait(false);
            for (var space = 0; space < Spaces; space++)
            {
                await body.FlushAsync(exchange.CancellationToken).ConfigureAwait(false);
                await Task.Delay(Interval, exchange.CancellationToken).ConfigureAwait(false);
                await body.WriteAsync(" "u8.ToArray(), exchange.CancellationToken).ConfigureAwait(false);
            }

            await body.WriteAsync(bytes.AsMemory(declarationEnd), exchange.CancellationToken).ConfigureAwait(false);
            return exchange.EndingAfter(sent);
        }
    }

    private sealed record TruncateBodyEdit(long AfterBytes, bool Reset) : BodyEdit
    {
        internal override async Task<ExchangeEnding> SendAsync(Exchange exchange, HttpResponseHead response, ResponseHeadBuilder head)
        {
            var framing = response.Framing(exchange.Request.IsHead);
            if (!Reset && framing == ResponseFraming.ContentLength)
            {
                head.Set("Content-Length", Math.Min(AfterBytes, response.ContentLength).ToString(CultureInfo.InvariantCulture));
            }

            var sent = head.Build();
            var body = await exchange.BeginResponseAsync(sent).ConfigureAwait(false);
            var chunked = framing == ResponseFraming.Chunked ? new ChunkedStream(body) : null;
            var whole = await exchange.CopyResponseContentAsync(response, chunked ?? body, AfterBytes).ConfigureAwait(false);
            if (Reset)
            {
                return ExchangeEnding.Abort;
            }

            if (chunked is not null)
            {
                await chunked.FinishAsync(exchange.CancellationToken).ConfigureAwait(false);
            }

            if (!whole)
            {
                exchange.AbandonUpstream();
            }

            return exchange.EndingAfter(sent);
        }
    }
}
