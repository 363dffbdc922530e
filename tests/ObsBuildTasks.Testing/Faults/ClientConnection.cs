using System.Net.Sockets;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>The client side of one proxied connection: its stream, a reader over it, and how it ends.</summary>
internal sealed class ClientConnection
{
    private readonly TcpClient _client;

    /// <param name="client">The accepted connection; owned and closed by this instance.</param>
    public ClientConnection(TcpClient client)
    {
        _client = client;
        _client.NoDelay = true;
        Stream = client.GetStream();
        Reader = new HttpStreamReader(Stream);
    }

    /// <summary>Where responses go.</summary>
    public NetworkStream Stream { get; }

    /// <summary>Reads the client's requests.</summary>
    public HttpStreamReader Reader { get; }

    /// <summary>
    /// Whether the client closed or reset the connection, judged without reading from it: a reset shows at once, a
    /// close only once nothing unread is left in front of it.
    /// </summary>
    public bool HasGoneAway()
    {
        var socket = _client.Client;
        try
        {
            return socket.Poll(0, SelectMode.SelectError) || (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Ends the connection: a clean close, or a reset for <see cref="ExchangeEnding.Abort"/>.</summary>
    public void Close(ExchangeEnding ending)
    {
        if (ending == ExchangeEnding.Abort)
        {
            // A zero timeout closes with a zero linger, sending RST at once. TcpClient.Dispose alone would shut the
            // socket down first, so the client would read a clean end of stream (FIN) before the reset.
            _client.Client.Close(timeout: 0);
        }

        _client.Dispose();
    }
}
