using System.Globalization;

namespace ObsBuildTasks.FrontEnd;

/// <summary>
/// The progress line of a whole call (all its files), for logs that only show what matters: at most once per interval,
/// and only once the call has come at least 5 % further (or four intervals have passed, so a slow upload still shows
/// life). Percent, bytes, speed and time left; nothing when the interval is 0.
/// </summary>
internal sealed class ProgressHeartbeat
{
    private const double MinPercentStep = 5;

    private readonly TimeSpan _interval;
    private readonly string _bucket;
    private readonly Dictionary<UploadFileRequest, long> _transferred = [];
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly long _total;
    private long _reused;
    private TimeSpan _lastLine;
    private double _lastPercent;

    /// <param name="interval">The least time between two lines; zero or less for none.</param>
    /// <param name="bucket">The bucket, for the line.</param>
    /// <param name="total">The size of all the call's files.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public ProgressHeartbeat(TimeSpan interval, string bucket, long total, TimeProvider? time = null)
    {
        _interval = interval;
        _bucket = bucket;
        _total = total;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
    }

    /// <summary>Counts a file that starts, with the bytes an earlier run left that it keeps.</summary>
    public void Started(FileStartedEvent started)
    {
        _reused += started.BytesReused;
        _transferred[started.Request] = started.BytesReused;
    }

    /// <summary>The line to write for this progress, or <see langword="null"/>.</summary>
    public string? Update(FileProgressEvent progress)
    {
        _transferred[progress.Request] = progress.TransferredBytes;
        var now = _time.GetElapsedTime(_started);
        if (_interval <= TimeSpan.Zero || _total == 0 || now - _lastLine < _interval)
        {
            return null;
        }

        var done = _transferred.Values.Sum();
        var percent = 100.0 * done / _total;
        if (done <= _reused || done >= _total || (percent - _lastPercent < MinPercentStep && now - _lastLine < 4 * _interval))
        {
            return null;
        }

        (_lastLine, _lastPercent) = (now, percent);
        var rate = (done - _reused) / Math.Max(now.TotalSeconds, 0.001);
        var left = rate > 0 ? TimeSpan.FromSeconds((_total - done) / rate) : (TimeSpan?)null;
        return string.Create(CultureInfo.InvariantCulture,
            $"Uploading to {_bucket}: {Math.Floor(percent):0}% ({ByteSize.Format(done)} of {ByteSize.Format(_total)}) at {ByteSize.Rate(rate)}{(left is { } eta ? $", about {Duration(eta)} left" : "")}.");
    }

    /// <summary>A duration for people: <c>7 s</c>, <c>3 min 20 s</c>, <c>1 h 5 min</c>.</summary>
    public static string Duration(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min"),
    };
}
