using System.Diagnostics;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Counts bytes as parts stream and tells the caller (the progress callback and a <see cref="FileProgressEvent"/>) from
/// its own loop, so a slow callback never holds up the transfer. What it reports never goes back and never passes the
/// total: bytes of a failed attempt are taken back from the count, and reported again only once they are sent again.
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly UploadFileRequest _request;
    private readonly long _total;
    private readonly EventPublisher _events;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _publishLock = new();
    private PeriodicTimer? _timer;
    private Task _loop = Task.CompletedTask;
    private long _onServer;
    private long _sent;
    private long _published = -1;
    private long _firstByteTicks = -1;

    public ProgressReporter(UploadFileRequest request, long total, EventPublisher events)
    {
        _request = request;
        _total = total;
        _events = events;
    }

    /// <summary>Body bytes sent so far, retries included.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>How long the file has taken so far.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts reporting, with <paramref name="bytesOnServer"/> already there (parts kept from an earlier run).</summary>
    public void Start(long bytesOnServer)
    {
        Interlocked.Add(ref _onServer, bytesOnServer);
        var timer = new PeriodicTimer(_request.ProgressInterval);
        _timer = timer;
        _loop = Task.Run(() => PublishPeriodicallyAsync(timer));
    }

    /// <summary>Counts a chunk sent, or takes back (negative) the chunks of a failed attempt.</summary>
    public void OnBytes(long delta)
    {
        Interlocked.Add(ref _onServer, delta);
        if (delta > 0)
        {
            Interlocked.Add(ref _sent, delta);
            Interlocked.CompareExchange(ref _firstByteTicks, _clock.Elapsed.Ticks, -1);
        }
    }

    /// <summary>Stops the loop and reports the full size once more.</summary>
    public async Task FinishAsync()
    {
        await StopLoopAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _onServer, _total);
        Publish();
    }

    public ValueTask DisposeAsync() => new(StopLoopAsync());

    /// <summary>Stops the timer, which ends the loop's wait for its next tick (without an exception: one per file
    /// would cost more than the loop), and waits for the loop.</summary>
    private Task StopLoopAsync()
    {
        _timer?.Dispose();
        return _loop;
    }

    private async Task PublishPeriodicallyAsync(PeriodicTimer timer)
    {
        Publish();
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            Publish();
        }
    }

    /// <summary>Tells the observer where the file stands (every tick, so that a stalled transfer still shows), and the
    /// progress callback when it moved.</summary>
    private void Publish()
    {
        lock (_publishLock)
        {
            var current = Math.Clamp(Interlocked.Read(ref _onServer), 0, _total);
            var elapsed = _clock.Elapsed;
            _events.Publish(new FileProgressEvent(_request, current, _total, Rate(elapsed), elapsed));
            if (current <= _published)
            {
                return;
            }

            _published = current;
            if (_request.ProgressCallback is { } callback)
            {
                try
                {
                    callback(new UploadProgress(current, _total, elapsed.TotalSeconds));
                }
#pragma warning disable CA1031 // The callback is the caller's code: whatever it throws must not break the transfer.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    _events.Publish(new UploadWarningEvent(_request, UploadWarning.ProgressCallbackFailed,
                        $"The progress callback failed: {exception.Message}"));
                }
            }
        }
    }

    /// <summary>Bytes per second since the first byte of this call went out.</summary>
    private double Rate(TimeSpan elapsed)
    {
        var first = Interlocked.Read(ref _firstByteTicks);
        var seconds = first < 0 ? 0 : (elapsed.Ticks - first) / (double)TimeSpan.TicksPerSecond;
        return seconds > 0 ? BytesSent / seconds : 0;
    }
}
