namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Forwards the request head at once and the body at <see cref="Pace"/>, reading it from the client no faster (beyond
/// what the proxy's 64 KiB buffer and the sockets hold), then relays the answer: a slow but live upload.
/// </summary>
/// <param name="Pace">How fast the body goes.</param>
public sealed record TrickleRequestBodyFault(Pace Pace) : Fault
{
    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.SendRequestAsync(pace: Pace).ConfigureAwait(false);
        var response = await exchange.ReceiveResponseHeadAsync().ConfigureAwait(false);
        return await exchange.RelayAsync(response, response).ConfigureAwait(false);
    }
}
