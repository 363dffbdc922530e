namespace ObsBuildTasks.Wire;

/// <summary>
/// Cancels one attempt when nothing has moved for a while. Every <see cref="Touch"/> (a chunk sent, an answer
/// arrived) restarts the countdown, so a large part on a slow but live connection is never cut.
/// </summary>
internal sealed class IdleWatchdog : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly TimeSpan _idleTimeout;

    public IdleWatchdog(TimeSpan idleTimeout, CancellationToken callerToken)
    {
        _idleTimeout = idleTimeout;
        _source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        CallerToken = callerToken;
        Touch();
    }

    /// <summary>Cancelled when the caller cancels or the attempt goes idle.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The caller's own token.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>Whether the attempt was cancelled for being idle (rather than by the caller).</summary>
    public bool TimedOut => _source.IsCancellationRequested && !CallerToken.IsCancellationRequested;

    /// <summary>Restarts the countdown.</summary>
    public void Touch()
    {
        try
        {
            _source.CancelAfter(_idleTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The attempt is over; a late chunk callback has nothing to extend.
        }
    }

    public void Dispose() => _source.Dispose();
}
