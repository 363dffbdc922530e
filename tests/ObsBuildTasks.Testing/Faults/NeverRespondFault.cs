namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// A stalled server: reads the request head and body, forwards nothing, and then holds the connection open without
/// sending a byte (reading and discarding anything more the client sends) until the client closes or resets it, or the
/// proxy is disposed. The request then counts as completed, with no <see cref="ProxiedRequest.RelayedStatus"/>.
/// </summary>
public sealed record NeverRespondFault : Fault
{
    internal override bool UsesUpstream => false;

    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.ReceiveRequestBodyAsync().ConfigureAwait(false);
        await exchange.WaitForClientToLeaveAsync().ConfigureAwait(false);
        return ExchangeEnding.Close;
    }
}
