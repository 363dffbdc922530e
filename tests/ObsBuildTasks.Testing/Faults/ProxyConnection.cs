using System.Globalization;
using System.Net.Sockets;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Serves one client connection of a <see cref="FaultInjectingProxy"/>: reads requests one after another (keep-alive),
/// applies the fault decided for each, and forwards the rest over its own upstream connection.
/// </summary>
internal sealed class ProxyConnection
{
    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly long _id;
    private readonly TcpClient _client;
    private readonly NetworkStream _clientStream;
    private readonly HttpStreamReader _clientReader;
    private readonly ProxyContext _context;
    private TcpClient? _upstream;
    private NetworkStream? _upstreamStream;
    private HttpStreamReader? _upstreamReader;

    /// <param name="id">The connection number recorded with its requests.</param>
    /// <param name="client">The accepted client connection; owned and closed by this instance.</param>
    /// <param name="context">What the proxy's connections share.</param>
    public ProxyConnection(long id, TcpClient client, ProxyContext context)
    {
        _id = id;
        _client = client;
        _client.NoDelay = true;
        _clientStream = client.GetStream();
        _clientReader = new HttpStreamReader(_clientStream);
        _context = context;
    }

    /// <summary>How the client connection ends once serving stops.</summary>
    private enum Ending
    {
        /// <summary>Serve the next request.</summary>
        KeepAlive,

        /// <summary>Close normally (FIN), after any response already written.</summary>
        Close,

        /// <summary>Reset (RST): the client sees "connection reset", never a clean end of response.</summary>
        Abort,
    }

    /// <summary>
    /// Serves the connection until the client closes it, a fault or an error ends it, or
    /// <paramref name="cancellationToken"/> is cancelled; then closes both sides. Never throws: connection losses are
    /// expected, and anything else is reported to <see cref="ProxyContext.ReportError"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var ending = Ending.Abort;
        try
        {
            ending = await ServeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionLoss(e, cancellationToken))
        {
            // The client or upstream went away, or the proxy is shutting down: nothing to report.
        }
        catch (Exception e)
        {
            _context.ReportError(e);
        }
        finally
        {
            CloseUpstream();
            CloseClient(ending);
        }
    }

    private static bool IsConnectionLoss(Exception e, CancellationToken cancellationToken) =>
        e is IOException or SocketException or ObjectDisposedException
        || (e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private async Task<Ending> ServeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var raw = await _clientReader.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (raw is null)
            {
                return Ending.Close;
            }

            var request = HttpRequestHead.Parse(raw);
            var fault = request.HasTransferEncoding ? null : _context.Rules.Decide(request.Method, request.Target);
            var entry = _context.Log.Start(_id, request, fault);
            Ending ending;
            try
            {
                ending = await HandleAsync(request, fault, entry, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                entry.Complete();
            }

            if (ending != Ending.KeepAlive)
            {
                return ending;
            }
        }
    }

    private Task<Ending> HandleAsync(HttpRequestHead request, Fault? fault, RequestLog.Entry entry, CancellationToken cancellationToken)
    {
        if (request.HasTransferEncoding)
        {
            return RespondLocallyAsync(
                request, entry, 411, "MissingContentLength", "The fault-injecting proxy only supports request bodies framed by Content-Length.", drainBody: false, [], cancellationToken);
        }

        return fault switch
        {
            ErrorResponseFault error => RespondLocallyAsync(
                request, entry, error.StatusCode, error.ErrorCode, error.Message, drainBody: !request.ExpectsContinue, error.Headers, cancellationToken),
            CutRequestBodyFault cut => CutRequestBodyAsync(request, entry, cut.AfterBytes, cancellationToken),
            DropResponseFault => DropResponseAsync(request, entry, cancellationToken),
            DelayResponseFault delay => ForwardAsync(request, entry, delay.Delay, cancellationToken),
            _ => ForwardAsync(request, entry, TimeSpan.Zero, cancellationToken),
        };
    }

    private async Task<Ending> ForwardAsync(HttpRequestHead request, RequestLog.Entry entry, TimeSpan hold, CancellationToken cancellationToken)
    {
        if (!await EnsureUpstreamAsync(cancellationToken).ConfigureAwait(false))
        {
            return await RespondWithBadGatewayAsync(request, entry, cancellationToken).ConfigureAwait(false);
        }

        await SendRequestAsync(request, entry, long.MaxValue, cancellationToken).ConfigureAwait(false);
        var response = await ReadFinalResponseHeadAsync(cancellationToken).ConfigureAwait(false);
        entry.SetUpstreamStatus(response.StatusCode);
        if (hold > TimeSpan.Zero && !await HoldAsync(hold, cancellationToken).ConfigureAwait(false))
        {
            return Ending.Abort;
        }

        entry.SetRelayedStatus(response.StatusCode);
        await _clientStream.WriteAsync(response.Head.Raw, cancellationToken).ConfigureAwait(false);
        var framing = response.Framing(request.IsHead);
        await ResponseBodyRelay.RelayAsync(_upstreamReader!, response, framing, _clientStream, cancellationToken).ConfigureAwait(false);
        return request.WantsClose || response.WantsClose || framing == ResponseFraming.UntilClose ? Ending.Close : Ending.KeepAlive;
    }

    private async Task<Ending> CutRequestBodyAsync(HttpRequestHead request, RequestLog.Entry entry, long afterBytes, CancellationToken cancellationToken)
    {
        if (!await EnsureUpstreamAsync(cancellationToken).ConfigureAwait(false))
        {
            return await RespondWithBadGatewayAsync(request, entry, cancellationToken).ConfigureAwait(false);
        }

        await SendRequestAsync(request, entry, afterBytes, cancellationToken).ConfigureAwait(false);
        return Ending.Abort;
    }

    private async Task<Ending> DropResponseAsync(HttpRequestHead request, RequestLog.Entry entry, CancellationToken cancellationToken)
    {
        if (!await EnsureUpstreamAsync(cancellationToken).ConfigureAwait(false))
        {
            return await RespondWithBadGatewayAsync(request, entry, cancellationToken).ConfigureAwait(false);
        }

        await SendRequestAsync(request, entry, long.MaxValue, cancellationToken).ConfigureAwait(false);
        var response = await ReadFinalResponseHeadAsync(cancellationToken).ConfigureAwait(false);
        await ResponseBodyRelay.RelayAsync(_upstreamReader!, response, response.Framing(request.IsHead), destination: null, cancellationToken).ConfigureAwait(false);
        entry.SetUpstreamStatus(response.StatusCode);
        return Ending.Abort;
    }

    private Task<Ending> RespondWithBadGatewayAsync(HttpRequestHead request, RequestLog.Entry entry, CancellationToken cancellationToken) =>
        RespondLocallyAsync(
            request, entry, 502, "ProxyUpstreamUnavailable", $"The fault-injecting proxy could not connect to {_context.Upstream}.", drainBody: !request.ExpectsContinue, [], cancellationToken);

    /// <summary>
    /// Answers without involving the upstream. The request body is read and discarded first (unless the client waits
    /// for <c>100 Continue</c> and so has not sent it), so that closing afterwards is a clean FIN the client can read
    /// the response before.
    /// </summary>
    private async Task<Ending> RespondLocallyAsync(
        HttpRequestHead request, RequestLog.Entry entry, int statusCode, string errorCode, string message, bool drainBody,
        IReadOnlyList<KeyValuePair<string, string>> extraHeaders, CancellationToken cancellationToken)
    {
        if (drainBody)
        {
            var drained = await _clientReader.CopyAsync(null, request.ContentLength, n => entry.AddBody(n, forwarded: false), cancellationToken).ConfigureAwait(false);
            if (drained < request.ContentLength)
            {
                throw new IOException("The client closed the connection in the middle of the request body.");
            }
        }

        var question = request.Target.IndexOf('?', StringComparison.Ordinal);
        var response = LocalResponse.S3Error(
            statusCode,
            errorCode,
            message,
            string.Create(CultureInfo.InvariantCulture, $"proxy-{entry.Sequence}"),
            question < 0 ? request.Target : request.Target[..question],
            withBody: !request.IsHead,
            extraHeaders);
        entry.SetRelayedStatus(statusCode);
        await _clientStream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        return Ending.Close;
    }

    /// <summary>
    /// Writes the request head (without <c>Expect</c>: the proxy answers <c>100 Continue</c> itself) and up to
    /// <paramref name="bodyLimit"/> bytes of the body upstream.
    /// </summary>
    private async Task SendRequestAsync(HttpRequestHead request, RequestLog.Entry entry, long bodyLimit, CancellationToken cancellationToken)
    {
        if (request.ExpectsContinue)
        {
            await _clientStream.WriteAsync(ContinueResponse, cancellationToken).ConfigureAwait(false);
        }

        await _upstreamStream!.WriteAsync(request.Head.Without("Expect"), cancellationToken).ConfigureAwait(false);
        var want = Math.Min(bodyLimit, request.ContentLength);
        var copied = await _clientReader.CopyAsync(_upstreamStream, want, n => entry.AddBody(n, forwarded: true), cancellationToken).ConfigureAwait(false);
        if (copied < want)
        {
            throw new IOException("The client closed the connection in the middle of the request body.");
        }
    }

    /// <summary>Reads the upstream's next final response head, skipping interim (1xx) responses.</summary>
    private async Task<HttpResponseHead> ReadFinalResponseHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var raw = await _upstreamReader!.ReadHeadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("The upstream closed the connection without responding.");
            var response = HttpResponseHead.Parse(raw);
            if (!response.IsInterim)
            {
                return response;
            }
        }
    }

    /// <summary>
    /// Waits <paramref name="delay"/> while watching the client.
    /// </summary>
    /// <returns><see langword="true"/> if the delay passed; <see langword="false"/> if the client left first.</returns>
    private async Task<bool> HoldAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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
    /// Completes with <see langword="true"/> when the client closes or resets its connection, and with
    /// <see langword="false"/> when it sends data (kept for the next request) or <paramref name="stop"/> is cancelled.
    /// Never throws.
    /// </summary>
    private async Task<bool> WatchForClientToLeaveAsync(CancellationToken stop)
    {
        try
        {
            return !await _clientReader.WaitForDataAsync(stop).ConfigureAwait(false);
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

    /// <summary>
    /// Makes sure there is a usable upstream connection, replacing one the upstream closed while idle.
    /// </summary>
    /// <returns><see langword="false"/> if the upstream refused the connection.</returns>
    private async Task<bool> EnsureUpstreamAsync(CancellationToken cancellationToken)
    {
        if (_upstream is not null)
        {
            if (!UpstreamClosedWhileIdle())
            {
                return true;
            }

            CloseUpstream();
        }

        var upstream = new TcpClient { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(_context.Upstream.DnsSafeHost, _context.Upstream.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            upstream.Dispose();
            return false;
        }
        catch
        {
            upstream.Dispose();
            throw;
        }

        _upstream = upstream;
        _upstreamStream = upstream.GetStream();
        _upstreamReader = new HttpStreamReader(_upstreamStream);
        return true;
    }

    /// <summary>An idle connection that polls readable has either been closed by the upstream or has stray data.</summary>
    private bool UpstreamClosedWhileIdle()
    {
        try
        {
            return _upstream!.Client.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private void CloseUpstream()
    {
        if (_upstream is null)
        {
            return;
        }

        try
        {
            _upstream.Client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _upstream.Dispose();
        _upstream = null;
        _upstreamStream = null;
        _upstreamReader = null;
    }

    private void CloseClient(Ending ending)
    {
        if (ending == Ending.Abort)
        {
            try
            {
                _client.Client.LingerState = new LingerOption(enable: true, seconds: 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        _client.Dispose();
    }
}
