namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// What the proxy does to a request that a <see cref="FaultRule"/> selected, and what it recorded in
/// <see cref="ProxiedRequest.Fault"/>. Create the concrete kinds through the <see cref="FaultRule"/> factory methods.
/// </summary>
public abstract record Fault
{
    private protected Fault()
    {
    }

    /// <summary>Whether the fault sends anything upstream, so that the proxy connects there first (or answers 502).</summary>
    internal virtual bool UsesUpstream => true;

    /// <summary>Carries out the exchange with the fault applied.</summary>
    /// <returns>How the client connection goes on.</returns>
    internal abstract Task<ExchangeEnding> ApplyAsync(Exchange exchange);
}
