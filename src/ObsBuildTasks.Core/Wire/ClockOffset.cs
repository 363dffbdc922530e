namespace ObsBuildTasks.Wire;

/// <summary>How far the local clock is behind the server's, learnt from a <c>RequestTimeTooSkewed</c> answer's
/// <c>Date</c>; every request is dated with it.</summary>
internal sealed class ClockOffset
{
    private long _ticks;

    /// <summary>The server's time now, as far as the client knows.</summary>
    public DateTimeOffset ServerNow => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>Learns the offset from the server's <paramref name="serverDate"/>; returns it (positive: local is behind).</summary>
    public TimeSpan CorrectFrom(DateTimeOffset serverDate)
    {
        var offset = serverDate - DateTimeOffset.UtcNow;
        Interlocked.Exchange(ref _ticks, offset.Ticks);
        return offset;
    }
}
