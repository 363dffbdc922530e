namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// A server that stopped reading: once the request head is read (the proxy needs it to choose the rule), nothing more
/// is read (beyond what the proxy's first read of the head happened to take in) and nothing is sent or forwarded, so a
/// body larger than the socket buffers leaves the client stuck writing. The connection is held until the client resets
/// it, closes it with nothing unread in front of the close (a request without a body, or one already taken in), or the
/// proxy is disposed; then it is reset. Rules are chosen by the request head, so a connection cannot be stalled before
/// its first byte is read.
/// </summary>
public sealed record StopReadingFault : Fault
{
    internal override bool UsesUpstream => false;

    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.WaitUnreadForClientToLeaveAsync().ConfigureAwait(false);
        return ExchangeEnding.Abort;
    }
}
