namespace ObsBuildTasks.Testing.Faults;

/// <summary>Passes writes through and reports how many bytes each one wrote, after it completed.</summary>
/// <param name="inner">Where the bytes go.</param>
/// <param name="onWritten">Told the size of each completed write.</param>
internal sealed class CountingStream(Stream inner, Action<int> onWritten) : WriteOnlyStream(inner)
{
    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        onWritten(buffer.Length);
    }
}
