namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Forwards the request, then relays the upstream's answer with its head at once and its body (as on the wire, chunk
/// framing included) at <see cref="Pace"/>: slow but live. To trickle a made-up answer instead, see
/// <see cref="RespondFault.Pace"/>.
/// </summary>
/// <param name="Pace">How fast the body goes.</param>
public sealed record TrickleResponseFault(Pace Pace) : Fault
{
    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.SendRequestAsync().ConfigureAwait(false);
        var response = await exchange.ReceiveResponseHeadAsync().ConfigureAwait(false);
        return await exchange.RelayAsync(response, response, Pace).ConfigureAwait(false);
    }
}
