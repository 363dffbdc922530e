namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Forwards the request and reads the upstream's whole response (so the operation takes effect upstream), then
/// resets the client connection without relaying any of it: a lost response.
/// </summary>
public sealed record DropResponseFault : Fault
{
    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.SendRequestAsync().ConfigureAwait(false);
        var response = await exchange.ReceiveResponseHeadAsync().ConfigureAwait(false);
        await exchange.DiscardResponseBodyAsync(response).ConfigureAwait(false);
        return ExchangeEnding.Abort;
    }
}
