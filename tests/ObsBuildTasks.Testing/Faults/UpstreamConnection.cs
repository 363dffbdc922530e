using System.Net.Sockets;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// The upstream side of one client connection: connected on first use, reused for the client's next requests, and
/// replaced when the upstream closed it while idle or an exchange left it in an unknown state. Its owner calls
/// <see cref="Close"/> when done.
/// </summary>
internal sealed class UpstreamConnection(Uri endpoint)
{
    private TcpClient? _client;
    private NetworkStream? _stream;
    private HttpStreamReader? _reader;

    /// <summary>Where requests go; valid after <see cref="ConnectAsync"/> returned <see langword="true"/>.</summary>
    public NetworkStream Stream => _stream ?? throw new InvalidOperationException("Not connected to the upstream.");

    /// <summary>Reads the upstream's responses; valid after <see cref="ConnectAsync"/> returned <see langword="true"/>.</summary>
    public HttpStreamReader Reader => _reader ?? throw new InvalidOperationException("Not connected to the upstream.");

    /// <summary>Makes sure there is a usable connection, replacing one the upstream closed while idle.</summary>
    /// <returns><see langword="false"/> if the upstream refused the connection.</returns>
    public async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            if (!ClosedWhileIdle())
            {
                return true;
            }

            Close();
        }

        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(endpoint.DnsSafeHost, endpoint.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            client.Dispose();
            return false;
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        _stream = client.GetStream();
        _reader = new HttpStreamReader(_stream);
        return true;
    }

    /// <summary>Closes the connection (if any); the next <see cref="ConnectAsync"/> opens a new one.</summary>
    public void Close()
    {
        if (_client is null)
        {
            return;
        }

        try
        {
            _client.Client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _client.Dispose();
        _client = null;
        _stream = null;
        _reader = null;
    }

    /// <summary>An idle connection that polls readable has either been closed by the upstream or has stray data.</summary>
    private bool ClosedWhileIdle()
    {
        try
        {
            return _client!.Client.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
