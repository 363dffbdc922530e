namespace ObsBuildTasks.Testing.Faults;

/// <summary>
/// Writes at a <see cref="Pace"/>: however the writes are cut, at most <see cref="Pace.Bytes"/> bytes go out per
/// <see cref="Pace.Interval"/>, the first ones at once.
/// </summary>
/// <param name="inner">Where the bytes go.</param>
/// <param name="pace">The rate.</param>
internal sealed class PacedStream(Stream inner, Pace pace) : WriteOnlyStream(inner)
{
    private int _sentThisInterval;

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_sentThisInterval == pace.Bytes)
            {
                await Task.Delay(pace.Interval, cancellationToken).ConfigureAwait(false);
                _sentThisInterval = 0;
            }

            var piece = Math.Min(pace.Bytes - _sentThisInterval, buffer.Length);
            await Inner.WriteAsync(buffer[..piece], cancellationToken).ConfigureAwait(false);
            _sentThisInterval += piece;
            buffer = buffer[piece..];
        }
    }
}
