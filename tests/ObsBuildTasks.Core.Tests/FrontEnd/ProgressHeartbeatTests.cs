using ObsBuildTasks.FrontEnd;

namespace ObsBuildTasks.Tests.FrontEnd;

public sealed class ProgressHeartbeatTests
{
    private const long Total = 1000L * 1024 * 1024;
    private static readonly UploadFileRequest Request = new("bucket", "key", "file");
    private readonly ManualTime _time = new();

    [Fact]
    public void A_line_tells_percent_bytes_speed_and_time_left()
    {
        var heartbeat = Started(reused: 0);
        _time.Advance(TimeSpan.FromSeconds(20));

        var line = heartbeat.Update(Progress(200L * 1024 * 1024));

        Assert.Equal("Uploading to bucket: 20% (200.0 MiB of 1000.0 MiB) at 10.0 MiB/s, about 1 min 20 s left.", line);
    }

    [Fact]
    public void No_line_before_the_interval_has_passed() => Assert.Null(StartedAndAdvanced(TimeSpan.FromSeconds(14)).Update(Progress(Total / 2)));

    [Fact]
    public void No_line_for_less_than_five_percent_more_unless_four_intervals_passed()
    {
        var heartbeat = StartedAndAdvanced(TimeSpan.FromSeconds(15));
        Assert.NotNull(heartbeat.Update(Progress(Total / 10)));

        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Null(heartbeat.Update(Progress(Total / 10 + Total / 50)));
        _time.Advance(TimeSpan.FromSeconds(45));
        Assert.NotNull(heartbeat.Update(Progress(Total / 10 + Total / 40)));
    }

    [Fact]
    public void Bytes_an_earlier_run_left_do_not_count_as_speed()
    {
        var heartbeat = Started(reused: Total / 2);
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Contains(" at 5.0 MiB/s,", heartbeat.Update(Progress(Total / 2 + 100L * 1024 * 1024)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_interval_turns_the_lines_off()
    {
        var heartbeat = new ProgressHeartbeat(TimeSpan.Zero, "bucket", Total, _time);
        heartbeat.Started(StartedEvent(0L));
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(heartbeat.Update(Progress(Total / 2)));
    }

    private ProgressHeartbeat StartedAndAdvanced(TimeSpan elapsed)
    {
        var heartbeat = Started(reused: 0);
        _time.Advance(elapsed);
        return heartbeat;
    }

    private ProgressHeartbeat Started(long reused)
    {
        var heartbeat = new ProgressHeartbeat(TimeSpan.FromSeconds(15), "bucket", Total, _time);
        heartbeat.Started(StartedEvent(reused));
        return heartbeat;
    }

    private static FileStartedEvent StartedEvent(long reused) => new(Request, Total, 100, Total / 100, (int)(reused / (Total / 100)), reused, 0, reused > 0);

    private static FileProgressEvent Progress(long transferred) => new(Request, transferred, Total, 0, TimeSpan.Zero);

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
