using System.Diagnostics;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// Counts bytes as parts stream and tells the caller's callback, from its own loop so a slow callback never holds up
/// the transfer. What it reports never goes back and never passes the total: bytes of a failed attempt are taken
/// back from the count, and reported again only once they are sent again.
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly long _total;
    private readonly Action<UploadProgress>? _callback;
    private readonly Action<ObsLogLevel, string>? _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _publishLock = new();
    private long _onServer;
    private long _sent;
    private long _published = -1;

    public ProgressReporter(long total, Action<UploadProgress>? callback, TimeSpan interval, Action<ObsLogLevel, string>? log)
    {
        _total = total;
        _callback = callback;
        _log = log;
        _loop = callback is null ? Task.CompletedTask : Task.Run(() => PublishPeriodicallyAsync(interval));
    }

    /// <summary>Body bytes sent so far, retries included.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Counts bytes already on the server (parts kept from an earlier run).</summary>
    public void AddExisting(long bytes) => Interlocked.Add(ref _onServer, bytes);

    /// <summary>Counts a chunk sent, or takes back (negative) the chunks of a failed attempt.</summary>
    public void OnBytes(long delta)
    {
        Interlocked.Add(ref _onServer, delta);
        if (delta > 0)
        {
            Interlocked.Add(ref _sent, delta);
        }
    }

    /// <summary>Stops the loop and, when the upload succeeded, reports the full size once more.</summary>
    public async Task FinishAsync(bool succeeded)
    {
        await StopLoopAsync().ConfigureAwait(false);
        if (succeeded)
        {
            Interlocked.Exchange(ref _onServer, _total);
            Publish();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task StopLoopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
    }

    private async Task PublishPeriodicallyAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            Publish();
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Publish();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by FinishAsync or DisposeAsync.
        }
    }

    private void Publish()
    {
        lock (_publishLock)
        {
            var current = Math.Clamp(Interlocked.Read(ref _onServer), 0, _total);
            if (_callback is null || current <= _published)
            {
                return;
            }

            _published = current;
            try
            {
                _callback(new UploadProgress(current, _total, _clock.Elapsed.TotalSeconds));
            }
            catch (Exception exception)
            {
                _log?.Invoke(ObsLogLevel.Warning, $"The progress callback failed: {exception.Message}");
            }
        }
    }
}
