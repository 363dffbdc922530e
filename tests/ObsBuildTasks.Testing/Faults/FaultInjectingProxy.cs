using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// A loopback HTTP/1.1 proxy placed between a client and an object store that injects faults at byte level, request
/// by request, according to <see cref="FaultRule"/>s. Point the client at <see cref="Endpoint"/> instead of the store.
/// </summary>
/// <remarks>
/// <para>
/// Each client connection gets its own upstream connection; keep-alive connections carrying several requests in
/// sequence are supported. Request bodies must be framed by <c>Content-Length</c> (requests with
/// <c>Transfer-Encoding</c> get 411). Responses are relayed verbatim (unless a <see cref="RewriteResponseFault"/>
/// changes them), framed by <c>Content-Length</c>, chunked encoding or connection close. Request heads are forwarded
/// byte for byte (so <c>Host</c> and signatures stay valid), except that <c>Expect: 100-continue</c> is answered by
/// the proxy and not forwarded. Bodies are streamed, never held, whatever their size.
/// </para>
/// <para>
/// Faults that end a connection without a (complete) response (<see cref="CutRequestBodyFault"/>,
/// <see cref="DropResponseFault"/>, <see cref="ResponseEdit.CutBody"/>, <see cref="StopReadingFault"/>) reset it
/// (RST) rather than closing it cleanly, so <see cref="HttpClient"/> reports an error instead of transparently retrying
/// a request it believes never reached the server.
/// </para>
/// </remarks>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private readonly ProxyContext _context;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly Task _acceptLoop;
    private long _connectionsAccepted;
    private int _disposed;

    /// <summary>Starts listening on an ephemeral loopback port and forwarding to <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The store, e.g. <c>http://127.0.0.1:18080</c>; plain HTTP only, path ignored.</param>
    public FaultInjectingProxy(Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (!upstream.IsAbsoluteUri || upstream.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("The upstream must be an absolute http:// URI.", nameof(upstream));
        }

        _context = new ProxyContext(upstream);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where clients connect, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Where requests are forwarded.</summary>
    public Uri Upstream => _context.Upstream;

    /// <summary>Every request received so far, in arrival order (a snapshot; see <see cref="ProxiedRequest"/>).</summary>
    public IReadOnlyList<ProxiedRequest> Requests => _context.Log.Snapshot();

    /// <summary>Total request body bytes written to the upstream, over all requests.</summary>
    public long RequestBodyBytesForwarded => _context.Log.BodyBytesForwarded;

    /// <summary>
    /// The most requests that were in flight at the same time. A request is in flight from the moment its head is read
    /// until its response starts to be sent back (or, for a fault without a response, until the proxy is done with it),
    /// so a client that waits for one answer before sending its next request never counts twice.
    /// </summary>
    public int MaxConcurrentRequests => _context.Log.PeakInFlight;

    /// <summary>How many client connections have been accepted.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>
    /// Unexpected failures inside the proxy (malformed HTTP, internal errors); lost connections are not included.
    /// Tests can assert this is empty.
    /// </summary>
    public IReadOnlyList<Exception> Errors => _context.Errors;

    /// <summary>
    /// Waits until at least <paramref name="count"/> requests are <see cref="ProxiedRequest.Completed"/> (the proxy
    /// has finished with them, e.g. after a fault closed the connection), then returns <see cref="Requests"/>.
    /// A client seeing a response or an error does not imply the proxy's bookkeeping is done; this does.
    /// </summary>
    public async Task<IReadOnlyList<ProxiedRequest>> WaitForCompletedRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await _context.Log.WaitForCompletedAsync(count, cancellationToken).ConfigureAwait(false);
        return Requests;
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> requests have been received (their heads read and their rules
    /// chosen), then returns <see cref="Requests"/>: e.g. to know that a request the proxy will never answer has arrived.
    /// </summary>
    public async Task<IReadOnlyList<ProxiedRequest>> WaitForReceivedRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await _context.Log.WaitForReceivedAsync(count, cancellationToken).ConfigureAwait(false);
        return Requests;
    }

    /// <summary>Appends a rule; it is consulted after the rules already present. Takes effect for the next request head.</summary>
    public void AddRule(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _context.Rules.Add(rule);
    }

    /// <summary>Removes all rules; requests then pass through untouched.</summary>
    public void ClearRules() => _context.Rules.Clear();

    /// <summary>Stops listening, closes every connection, and waits for all connection work to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _listener.Dispose();
        _shutdown.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var cancellationToken = _shutdown.Token;
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;
            }
            catch (SocketException e)
            {
                _context.ReportError(e);
                return;
            }

            var id = Interlocked.Increment(ref _connectionsAccepted);
            var connection = new ProxyConnection(id, client, _context);
            var task = Task.Run(() => connection.RunAsync(cancellationToken), CancellationToken.None);
            _connections[id] = task;
            _ = task.ContinueWith(_ => _connections.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
