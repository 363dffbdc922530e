using ObsBuildTasks.Testing.Faults;

namespace ObsBuildTasks.Tests.Faults;

/// <summary>The stand-in store, a proxy in front of it with the rules a test gives, and a client of the proxy.</summary>
internal sealed class ProxyRig : IAsyncDisposable
{
    private ProxyRig(TimeSpan? clientTimeout, FaultRule[] rules)
    {
        Upstream = new LoopbackHttpServer();
        Proxy = new FaultInjectingProxy(Upstream.Endpoint);
        Array.ForEach(rules, Proxy.AddRule);
        Client = ProxyTesting.CreateClient(Proxy, clientTimeout);
    }

    /// <summary>The stand-in store.</summary>
    public LoopbackHttpServer Upstream { get; }

    /// <summary>The proxy in front of it.</summary>
    public FaultInjectingProxy Proxy { get; }

    /// <summary>A client of the proxy (<see cref="ProxyTesting.CreateClient"/>).</summary>
    public HttpClient Client { get; }

    /// <summary>Starts a rig whose proxy has <paramref name="rules"/>, with a client that times out after <see cref="ProxyTesting.WaitLimit"/>.</summary>
    public static ProxyRig Start(params FaultRule[] rules) => new(clientTimeout: null, rules);

    /// <summary>Starts a rig whose client times out after <paramref name="clientTimeout"/>.</summary>
    public static ProxyRig Start(TimeSpan clientTimeout, params FaultRule[] rules) => new(clientTimeout, rules);

    /// <summary>The proxy's record once it has finished with <paramref name="count"/> requests.</summary>
    public Task<IReadOnlyList<ProxiedRequest>> CompletedAsync(int count) =>
        Proxy.WaitForCompletedRequestsAsync(count).WaitAsync(ProxyTesting.WaitLimit);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
