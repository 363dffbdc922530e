namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Forwards the request head and the first <see cref="AfterBytes"/> bytes of the body to the upstream, then aborts both
/// connections before any response: the client sees a connection reset mid-request, the upstream an early end of body.
/// If the body is not longer than <see cref="AfterBytes"/>, it is forwarded whole and the cut happens before the response.
/// </summary>
/// <param name="AfterBytes">How many body bytes get through.</param>
public sealed record CutRequestBodyFault(long AfterBytes) : Fault
{
    internal override async Task<ExchangeEnding> ApplyAsync(Exchange exchange)
    {
        await exchange.SendRequestAsync(AfterBytes).ConfigureAwait(false);
        return ExchangeEnding.Abort;
    }
}
