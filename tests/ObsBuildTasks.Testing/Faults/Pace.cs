namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// A slow but steady rate: <see cref="Bytes"/> bytes every <see cref="Interval"/>. The first bytes go at once, each
/// further <see cref="Bytes"/> after one more <see cref="Interval"/>, so N × <see cref="Bytes"/> take at least
/// (N − 1) × <see cref="Interval"/>.
/// </summary>
public sealed record Pace
{
    /// <param name="bytes">How many bytes go at a time (at least 1), e.g. 16.</param>
    /// <param name="interval">How long to wait between them, e.g. 200 ms.</param>
    public Pace(int bytes, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        Bytes = bytes;
        Interval = interval;
    }

    /// <summary>How many bytes go at a time.</summary>
    public int Bytes { get; }

    /// <summary>How long to wait between them.</summary>
    public TimeSpan Interval { get; }
}
