using System.Net.Sockets;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Serves one client connection of a <see cref="FaultInjectingProxy"/>: reads requests one after another (keep-alive),
/// and lets the fault decided for each (or plain forwarding) run its <see cref="Exchange"/> over the connection's own
/// upstream connection.
/// </summary>
internal sealed class ProxyConnection
{
    private readonly long _id;
    private readonly ClientConnection _client;
    private readonly UpstreamConnection _upstream;
    private readonly ProxyContext _context;

    /// <param name="id">The connection number recorded with its requests.</param>
    /// <param name="client">The accepted client connection; owned and closed by this instance.</param>
    /// <param name="context">What the proxy's connections share.</param>
    public ProxyConnection(long id, TcpClient client, ProxyContext context)
    {
        _id = id;
        _client = new ClientConnection(client);
        _upstream = new UpstreamConnection(context.Upstream);
        _context = context;
    }

    /// <summary>
    /// Serves the connection until the client closes it, a fault or an error ends it, or
    /// <paramref name="cancellationToken"/> is cancelled; then closes both sides. Never throws: connection losses are
    /// expected, and anything else is reported to <see cref="ProxyContext.ReportError"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var ending = ExchangeEnding.Abort;
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
            _upstream.Close();
            _client.Close(ending);
        }
    }

    private static bool IsConnectionLoss(Exception e, CancellationToken cancellationToken) =>
        e is IOException or SocketException or ObjectDisposedException
        || (e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private async Task<ExchangeEnding> ServeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var raw = await _client.Reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (raw is null)
            {
                return ExchangeEnding.Close;
            }

            var request = HttpRequestHead.Parse(raw);
            var fault = request.HasTransferEncoding ? null : _context.Rules.Decide(request.Method, request.Target);
            var entry = _context.Log.Start(_id, request, fault);
            ExchangeEnding ending;
            try
            {
                ending = await HandleAsync(new Exchange(_client, _upstream, request, entry, cancellationToken), fault, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                entry.Complete();
            }

            if (ending != ExchangeEnding.KeepAlive)
            {
                return ending;
            }
        }
    }

    private async Task<ExchangeEnding> HandleAsync(Exchange exchange, Fault? fault, CancellationToken cancellationToken)
    {
        if (exchange.Request.HasTransferEncoding)
        {
            return await RespondFault.S3Error(411, "MissingContentLength", "The fault-injecting proxy only supports request bodies framed by Content-Length.")
                .ApplyAsync(exchange).ConfigureAwait(false);
        }

        if ((fault?.UsesUpstream ?? true) && !await _upstream.ConnectAsync(cancellationToken).ConfigureAwait(false))
        {
            return await RespondFault.S3Error(502, "ProxyUpstreamUnavailable", $"The fault-injecting proxy could not connect to {_context.Upstream}.")
                .ApplyAsync(exchange).ConfigureAwait(false);
        }

        return fault is null
            ? await exchange.PassThroughAsync().ConfigureAwait(false)
            : await fault.ApplyAsync(exchange).ConfigureAwait(false);
    }
}
