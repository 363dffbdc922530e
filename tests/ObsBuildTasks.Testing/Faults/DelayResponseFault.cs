namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Forwards the request, then holds the upstream's response for <see cref="Delay"/> before relaying it. If the client
/// disconnects meanwhile, the exchange is abandoned.
/// </summary>
/// <param name="Delay">How long the response is held.</param>
public sealed record DelayResponseFault(TimeSpan Delay) : Fault
{
    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.SendRequestAsync().ConfigureAwait(false);
        var response = await exchange.ReceiveResponseHeadAsync().ConfigureAwait(false);
        return await exchange.HoldAsync(Delay).ConfigureAwait(false)
            ? await exchange.RelayAsync(response, response).ConfigureAwait(false)
            : ExchangeEnding.Abort;
    }
}
