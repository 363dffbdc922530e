using System.Net;
using System.Net.Sockets;
using System.Text;
using ObsBuildTasks.Testing.Faults;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>Clients and checks the proxy tests share.</summary>
internal static class ProxyTesting
{
    /// <summary>How long a test waits for something that should happen at once.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>A client that talks to the proxy directly and follows no redirect.</summary>
    public static HttpClient CreateClient(FaultInjectingProxy proxy, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = proxy.Endpoint,
            Timeout = timeout ?? WaitLimit,
        };

    /// <summary>A target relative to the client's base address, e.g. <c>/bucket/key?uploads</c>.</summary>
    public static Uri Target(string target) => new(target, UriKind.Relative);

    /// <summary>Sends a request (a PUT with a 1000-byte body) and returns the status of its answer.</summary>
    public static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpMethod method, string target)
    {
        using var request = new HttpRequestMessage(method, Target(target));
        if (method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(new byte[1000]);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Asserts that <paramref name="send"/> fails as a lost connection does.</summary>
    public static async Task AssertTransportFailureAsync(Func<Task> send)
    {
        var error = await Record.ExceptionAsync(send);

        Assert.True(error is HttpRequestException or IOException, $"Expected a transport failure, got {error?.GetType().Name ?? "success"}: {error}");
    }

    /// <summary>Connects to the proxy without HttpClient and sends <paramref name="request"/> as it is (ASCII).</summary>
    public static async Task<TcpClient> SendRawAsync(FaultInjectingProxy proxy, string request)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(proxy.Endpoint.Host, proxy.Endpoint.Port);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Reads until the connection ends; returns what came (Latin-1) and whether a reset ended it.</summary>
    public static async Task<(string Received, bool Reset)> ReadUntilEndAsync(TcpClient client)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(WaitLimit)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return (Encoding.Latin1.GetString(received.ToArray()), true);
        }

        return (Encoding.Latin1.GetString(received.ToArray()), false);
    }
}
