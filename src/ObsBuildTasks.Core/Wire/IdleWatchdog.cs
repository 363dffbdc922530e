namespace ObsBuildTasks.Wire;

/// <summary>
/// Cancels one attempt when nothing has moved for a while. Every <see cref="Touch()"/> (a chunk sent, a chunk of the
/// answer read) restarts the countdown, so a large part on a slow but live connection is never cut. It remembers what
/// the attempt was doing, so that a timeout can say what was awaited.
/// </summary>
internal sealed class IdleWatchdog : IDisposable
{
    private readonly CancellationTokenSource _source;
    private volatile string _phase = "waiting for the answer";

    public IdleWatchdog(TimeSpan idleTimeout, CancellationToken callerToken)
    {
        IdleTimeout = idleTimeout;
        _source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        CallerToken = callerToken;
        Touch();
    }

    public TimeSpan IdleTimeout { get; }

    /// <summary>Cancelled when the caller cancels or the attempt goes idle.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The caller's own token.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>Whether the attempt was cancelled for being idle (rather than by the caller).</summary>
    public bool TimedOut => _source.IsCancellationRequested && !CallerToken.IsCancellationRequested;

    /// <summary>The key under which an attempt's request carries its watchdog, for the connection callback.</summary>
    public static readonly HttpRequestOptionsKey<IdleWatchdog> RequestOption = new("ObsBuildTasks.IdleWatchdog");

    /// <summary>What the attempt was doing when it last moved, e.g. <c>waiting for the answer</c>.</summary>
    public string Phase => _phase;

    /// <summary>Restarts the countdown.</summary>
    public void Touch()
    {
        try
        {
            _source.CancelAfter(IdleTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The attempt is over; a late chunk callback has nothing to extend.
        }
    }

    /// <summary>Restarts the countdown and records what the attempt does now.</summary>
    public void Touch(string phase)
    {
        _phase = phase;
        Touch();
    }

    public void Dispose() => _source.Dispose();
}
