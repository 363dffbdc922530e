using System.Collections.Concurrent;

namespace ObsBuildTasks.Testing.Faults;

/// <summary>What the connections of one proxy share: where to forward, the rules, the log, and an error sink.</summary>
internal sealed class ProxyContext(Uri upstream)
{
    private readonly ConcurrentQueue<Exception> _errors = new();

    /// <summary>The store the proxy forwards to.</summary>
    public Uri Upstream { get; } = upstream;

    /// <summary>The active fault rules.</summary>
    public FaultRuleSet Rules { get; } = new();

    /// <summary>The record of requests.</summary>
    public RequestLog Log { get; } = new();

    /// <summary>Unexpected failures (protocol violations, bugs) seen by connections, in order.</summary>
    public IReadOnlyList<Exception> Errors => [.. _errors];

    /// <summary>Records an unexpected failure.</summary>
    public void ReportError(Exception error) => _errors.Enqueue(error);
}
