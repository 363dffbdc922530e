using System.Globalization;
using System.Diagnostics;

namespace ObsBuildTasks.Wire;

/// <summary>
/// Cancels one attempt when nothing has moved for a while. Every <see cref="Touch()"/> (a chunk sent, a connection made,
/// the answer's head) restarts the countdown, and so does every <see cref="ProgressBytes"/> of the answer's body
/// (<see cref="Arrived"/>): a large part on a slow but live connection is never cut, and a server that sends a byte
/// now and then is idle. It remembers what the attempt was doing, so that a timeout can say what was awaited.
/// </summary>
/// <remarks>
/// A touch only records the time: it runs for every chunk of every body, so it takes no lock and arms no timer. One
/// timer per attempt wakes up when the countdown would end if nothing moved since the last time it looked, and either
/// cancels the attempt or sleeps again until the new end: about one wake-up per <see cref="IdleTimeout"/>.
/// </remarks>
internal sealed class IdleWatchdog : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly Timer _timer;
    private long _lastMoved;
    private int _arrivedSinceTouch;
    private volatile string _phase = "waiting for the answer";
    private volatile bool _disposed;

    public IdleWatchdog(TimeSpan idleTimeout, CancellationToken callerToken)
    {
        IdleTimeout = idleTimeout;
        _source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        CallerToken = callerToken;
        Touch();
        _timer = new Timer(static state => ((IdleWatchdog)state!).Check(), this, idleTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How much of an answer's body must arrive to count as progress.</summary>
    public const int ProgressBytes = 1024;

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

    /// <summary>What the countdown saw before it ended, e.g. <c>nothing moved for 30 s</c>.</summary>
    public string Idleness => _arrivedSinceTouch == 0
        ? string.Create(CultureInfo.InvariantCulture, $"nothing moved for {IdleTimeout.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture,
            $"only {_arrivedSinceTouch} bytes arrived in {IdleTimeout.TotalSeconds:0} s (less than the {ProgressBytes / 1024} KiB that count as progress)");

    /// <summary>Restarts the countdown.</summary>
    public void Touch()
    {
        _arrivedSinceTouch = 0;
        Volatile.Write(ref _lastMoved, Stopwatch.GetTimestamp());
    }

    /// <summary>Counts bytes of the answer's body that arrived; restarts the countdown once at least
    /// <see cref="ProgressBytes"/> have since the last restart. Called by the attempt's one reader.</summary>
    public void Arrived(int bytes)
    {
        _arrivedSinceTouch += bytes;
        if (_arrivedSinceTouch >= ProgressBytes)
        {
            Touch();
        }
    }

    /// <summary>Restarts the countdown and records what the attempt does now.</summary>
    public void Touch(string phase)
    {
        _phase = phase;
        Touch();
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
        _source.Dispose();
    }

    /// <summary>The timer's wake-up: cancels the attempt if nothing moved for <see cref="IdleTimeout"/>, otherwise
    /// sleeps until the countdown that the last touch started would end.</summary>
    private void Check()
    {
        var idle = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastMoved));
        try
        {
            if (_disposed)
            {
                return;
            }

            if (idle >= IdleTimeout)
            {
                _source.Cancel();
            }
            else
            {
                _timer.Change(TimeSpan.FromMilliseconds(Math.Ceiling((IdleTimeout - idle).TotalMilliseconds)), Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended while the timer looked: there is nothing left to cut.
        }
    }
}
