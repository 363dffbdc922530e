using System.Net.Sockets;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// One request's passage through the proxy, and the steps faults are made of: forward the request, read the upstream's
/// answer, relay it, answer locally, hold. Created per request by <see cref="ProxyConnection"/>, which has connected
/// the upstream beforehand when the fault uses it (<see cref="Fault.UsesUpstream"/>).
/// </summary>
internal sealed class Exchange
{
    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private static readonly TimeSpan ClientPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ClientConnection _client;
    private readonly UpstreamConnection _upstream;
    private readonly RequestLog.Entry _entry;

    /// <param name="client">The client connection the request came on.</param>
    /// <param name="upstream">The upstream connection that goes with it.</param>
    /// <param name="request">The request head just read.</param>
    /// <param name="entry">The request's record.</param>
    /// <param name="cancellationToken">Cancelled when the proxy shuts down.</param>
    public Exchange(ClientConnection client, UpstreamConnection upstream, HttpRequestHead request, RequestLog.Entry entry, CancellationToken cancellationToken)
    {
        _client = client;
        _upstream = upstream;
        _entry = entry;
        Request = request;
        CancellationToken = cancellationToken;
        var question = request.Target.IndexOf('?', StringComparison.Ordinal);
        BodyContext = new BodyContext(entry.Sequence, question < 0 ? request.Target : request.Target[..question]);
    }

    /// <summary>The request head.</summary>
    public HttpRequestHead Request { get; }

    /// <summary>Cancelled when the proxy shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>What a made-up answer may mention of the request.</summary>
    public BodyContext BodyContext { get; }

    /// <summary>Forwards the request and relays the upstream's answer untouched.</summary>
    public async Task<ExchangeEnding> PassThroughAsync()
    {
        await SendRequestAsync().ConfigureAwait(false);
        var response = await ReceiveResponseHeadAsync().ConfigureAwait(false);
        return await RelayAsync(response, response).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the request head upstream (without <c>Expect</c>: the proxy answers <c>100 Continue</c> itself) and up to
    /// <paramref name="bodyLimit"/> bytes of the body, at <paramref name="pace"/> when given.
    /// </summary>
    /// <exception cref="IOException">The client closed the connection in the middle of the body.</exception>
    public async Task SendRequestAsync(long bodyLimit = long.MaxValue, Pace? pace = null)
    {
        if (Request.ExpectsContinue)
        {
            await _client.Stream.WriteAsync(ContinueResponse, CancellationToken).ConfigureAwait(false);
        }

        await _upstream.Stream.WriteAsync(Request.ForUpstream(), CancellationToken).ConfigureAwait(false);
        await CopyRequestBodyAsync(Paced(_upstream.Stream, pace), Math.Min(bodyLimit, Request.ContentLength)).ConfigureAwait(false);
    }

    /// <summary>Reads and discards the request body, so that an answer can follow it on the same connection.</summary>
    /// <exception cref="IOException">The client closed the connection in the middle of the body.</exception>
    public Task ReceiveRequestBodyAsync() => CopyRequestBodyAsync(destination: null, Request.ContentLength);

    /// <summary>Reads the upstream's final response head (skipping interim 1xx ones) and records its status.</summary>
    /// <exception cref="IOException">The upstream closed the connection without a response.</exception>
    public async Task<HttpResponseHead> ReceiveResponseHeadAsync()
    {
        while (true)
        {
            var raw = await _upstream.Reader.ReadHeadAsync(CancellationToken).ConfigureAwait(false)
                ?? throw new IOException("The upstream closed the connection without responding.");
            var response = HttpResponseHead.Parse(raw);
            if (!response.IsInterim)
            {
                _entry.SetUpstreamStatus(response.StatusCode);
                return response;
            }
        }
    }

    /// <summary>Reads and discards the body of the upstream's <paramref name="response"/>.</summary>
    public Task DiscardResponseBodyAsync(HttpResponseHead response) =>
        ResponseBodyRelay.RelayAsync(_upstream.Reader, response, response.Framing(Request.IsHead), destination: null, CancellationToken);

    /// <summary>
    /// Sends <paramref name="sent"/> as the response head, then the body of the upstream's <paramref name="response"/>
    /// byte for byte, at <paramref name="pace"/> when given.
    /// </summary>
    /// <param name="response">The upstream's response, whose body is read.</param>
    /// <param name="sent">The head sent to the client: <paramref name="response"/> itself, or an edited copy.</param>
    /// <param name="pace">How fast the body goes; at once when <see langword="null"/>.</param>
    public async Task<ExchangeEnding> RelayAsync(HttpResponseHead response, HttpResponseHead sent, Pace? pace = null)
    {
        var body = await BeginResponseAsync(sent, pace).ConfigureAwait(false);
        await ResponseBodyRelay.RelayAsync(_upstream.Reader, response, response.Framing(Request.IsHead), body, CancellationToken).ConfigureAwait(false);
        return EndingAfter(sent);
    }

    /// <summary>
    /// Moves at most <paramref name="limit"/> bytes of the content of the upstream's <paramref name="response"/> (chunk
    /// framing removed) to <paramref name="destination"/>.
    /// </summary>
    /// <returns>Whether the body was read to its end; if not, call <see cref="AbandonUpstream"/> before another exchange.</returns>
    public Task<bool> CopyResponseContentAsync(HttpResponseHead response, Stream destination, long limit) =>
        ResponseBodyRelay.CopyContentAsync(_upstream.Reader, response, response.Framing(Request.IsHead), destination, limit, CancellationToken);

    /// <summary>Closes the upstream connection, whose answer was not read to its end; the next request opens a new one.</summary>
    public void AbandonUpstream() => _upstream.Close();

    /// <summary>
    /// Sends <paramref name="head"/> and then <paramref name="body"/> (made up by the proxy) framed as the head says, at
    /// <paramref name="pace"/> when given.
    /// </summary>
    public async Task<ExchangeEnding> AnswerAsync(HttpResponseHead head, ResponseBody body, Pace? pace = null)
    {
        var destination = await BeginResponseAsync(head, pace).ConfigureAwait(false);
        await BodySender.SendAsync(body, BodyContext, head.Framing(Request.IsHead), destination, CancellationToken).ConfigureAwait(false);
        return EndingAfter(head);
    }

    /// <summary>
    /// Records the status, sends the head to the client at once, and returns where its body goes (at
    /// <paramref name="pace"/> when given).
    /// </summary>
    public async Task<Stream> BeginResponseAsync(HttpResponseHead head, Pace? pace = null)
    {
        _entry.SetRelayedStatus(head.StatusCode);
        await _client.Stream.WriteAsync(head.Head.Raw, CancellationToken).ConfigureAwait(false);
        return Paced(new CountingStream(_client.Stream, _entry.AddResponseBody), pace);
    }

    /// <summary>How the connection goes on after a response with this head has been sent whole.</summary>
    public ExchangeEnding EndingAfter(HttpResponseHead sent) =>
        Request.WantsClose || sent.WantsClose || sent.Framing(Request.IsHead) == ResponseFraming.UntilClose
            ? ExchangeEnding.Close
            : ExchangeEnding.KeepAlive;

    /// <summary>Waits <paramref name="delay"/> while watching the client.</summary>
    /// <returns><see langword="true"/> if the delay passed; <see langword="false"/> if the client left first.</returns>
    public async Task<bool> HoldAsync(TimeSpan delay)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
        var elapsed = Task.Delay(delay, stop.Token);
        var clientLeft = WatchForClientToLeaveAsync(stop.Token);
        try
        {
            if (await Task.WhenAny(elapsed, clientLeft).ConfigureAwait(false) == clientLeft && await clientLeft.ConfigureAwait(false))
            {
                return false;
            }

            await elapsed.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await clientLeft.ConfigureAwait(false);
        }

        return !await clientLeft.ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and discards whatever the client sends until it closes or resets the connection (or the proxy shuts
    /// down), sending nothing.
    /// </summary>
    public Task WaitForClientToLeaveAsync() => _client.Reader.CopyToEndAsync(destination: null, CancellationToken);

    /// <summary>
    /// Waits, reading nothing and sending nothing, until the client visibly leaves (see
    /// <see cref="ClientConnection.HasGoneAway"/>) or the proxy shuts down; the connection is polled, since only
    /// reading would tell at once.
    /// </summary>
    public async Task WaitUnreadForClientToLeaveAsync()
    {
        while (!_client.HasGoneAway())
        {
            await Task.Delay(ClientPollInterval, CancellationToken).ConfigureAwait(false);
        }
    }

    private static Stream Paced(Stream destination, Pace? pace) => pace is null ? destination : new PacedStream(destination, pace);

    private async Task CopyRequestBodyAsync(Stream? destination, long count)
    {
        var forwarded = destination is not null;
        var copied = await _client.Reader.CopyAsync(destination, count, n => _entry.AddBody(n, forwarded), CancellationToken).ConfigureAwait(false);
        if (copied < count)
        {
            throw new IOException("The client closed the connection in the middle of the request body.");
        }
    }

    /// <summary>
    /// Completes with <see langword="true"/> when the client closes or resets its connection, and with
    /// <see langword="false"/> when it sends data (kept for the next request) or <paramref name="stop"/> is cancelled.
    /// Never throws.
    /// </summary>
    private async Task<bool> WatchForClientToLeaveAsync(CancellationToken stop)
    {
        try
        {
            return !await _client.Reader.WaitForDataAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
