using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>
/// A tiny HTTP/1.1 server on an ephemeral loopback port that stands in for the object store in proxy tests. It serves
/// keep-alive connections, reads bodies by <c>Content-Length</c>, records every request (including ones whose body
/// ended early), and answers:
/// <list type="bullet">
/// <item><c>HEAD</c>: 200 with <c>Content-Length: </c><see cref="HeadContentLength"/> and no body;</item>
/// <item><c>GET</c>: 200 with body <c>object:TARGET</c>, chunked when the target contains <c>chunked</c>;</item>
/// <item><c>DELETE</c>: 204;</item>
/// <item>anything else: 200 with body <c>received=N</c>.</item>
/// </list>
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    /// <summary>The <c>Content-Length</c> announced for HEAD requests.</summary>
    public const long HeadContentLength = 1234;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<UpstreamRequest> _received = Channel.CreateUnbounded<UpstreamRequest>();
    private readonly Lock _lock = new();
    private readonly List<UpstreamRequest> _requests = [];
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;

    public LoopbackHttpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}"));
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where the server listens.</summary>
    public Uri Endpoint { get; }

    /// <summary>Every request recorded so far (a request is recorded once its body is read or ends early).</summary>
    public IReadOnlyList<UpstreamRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The next recorded request, in order; fails after 10 seconds.</summary>
    public async Task<UpstreamRequest> NextRequestAsync() =>
        await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _connections.Add(Task.Run(() => ServeAsync(client, _stop.Token)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[64 * 1024];
                int start = 0, end = 0;
                while (true)
                {
                    int headLength;
                    while ((headLength = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        (start, end) = (0, end - start);
                        var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            return;
                        }

                        end += read;
                    }

                    var lines = Encoding.ASCII.GetString(buffer, start, headLength).Split("\r\n");
                    start += headLength + 4;
                    var requestLine = lines[0].Split(' ');
                    var declared = lines.Skip(1)
                        .Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        .Select(l => long.Parse(l["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture))
                        .FirstOrDefault();

                    long received = 0;
                    while (received < declared)
                    {
                        if (start == end)
                        {
                            (start, end) = (0, await ReadOrEndAsync(stream, buffer, cancellationToken).ConfigureAwait(false));
                            if (end == 0)
                            {
                                break;
                            }
                        }

                        var take = (int)Math.Min(end - start, declared - received);
                        start += take;
                        received += take;
                    }

                    var request = new UpstreamRequest(requestLine[0], requestLine[1], declared, received);
                    Record(request);
                    if (!request.BodyComplete)
                    {
                        return;
                    }

                    await stream.WriteAsync(ResponseFor(request), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // Peer went away or the server is stopping.
            }
        }
    }

    /// <summary>Reads into <paramref name="buffer"/>; a reset counts as the end of the stream.</summary>
    private static async Task<int> ReadOrEndAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private void Record(UpstreamRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
        }

        _received.Writer.TryWrite(request);
    }

    private static byte[] ResponseFor(UpstreamRequest request)
    {
        string response;
        if (request.Method == "HEAD")
        {
            response = $"HTTP/1.1 200 OK\r\nContent-Length: {HeadContentLength}\r\nETag: \"head\"\r\n\r\n";
        }
        else if (request.Method == "GET" && request.Target.Contains("chunked", StringComparison.Ordinal))
        {
            var body = "object:" + request.Target;
            var (first, second) = (body[..(body.Length / 2)], body[(body.Length / 2)..]);
            response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + $"{first.Length:X}\r\n{first}\r\n{second.Length:X};ext=1\r\n{second}\r\n0\r\nX-Trailer: done\r\n\r\n";
        }
        else if (request.Method == "GET")
        {
            response = WithBody("object:" + request.Target);
        }
        else if (request.Method == "DELETE")
        {
            response = "HTTP/1.1 204 No Content\r\n\r\n";
        }
        else
        {
            response = WithBody($"received={request.BodyBytesReceived}");
        }

        return Encoding.ASCII.GetBytes(response);

        static string WithBody(string body) =>
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nETag: \"etag\"\r\n\r\n{body}";
    }
}

/// <summary>A request as the stand-in store saw it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The request target (path and query).</param>
/// <param name="DeclaredLength">The <c>Content-Length</c> it announced (0 when absent).</param>
/// <param name="BodyBytesReceived">The body bytes that actually arrived before the body ended or the connection did.</param>
internal sealed record UpstreamRequest(string Method, string Target, long DeclaredLength, long BodyBytesReceived)
{
    /// <summary>Whether the whole declared body arrived.</summary>
    public bool BodyComplete => BodyBytesReceived == DeclaredLength;
}
