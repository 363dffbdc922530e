namespace ObsBuildTasks.Hashing;

/// <summary>
/// Digests of a sequence of items, computed a batch at a time ahead of their use: the first item asked for of a batch
/// starts hashing that batch (once, on the thread pool) and the next one, so the next batch is ready by the time its
/// items are due. Items are asked for roughly in order; one asked for out of order only starts its batch early.
/// </summary>
/// <typeparam name="T">What one item's digest is.</typeparam>
internal sealed class DigestsAhead<T>
{
    private readonly Lazy<Task<T[]>>[] _batches;

    /// <param name="count">How many items there are.</param>
    /// <param name="batchSize">How many items one batch holds.</param>
    /// <param name="hashBatch">Computes the digests of <c>count</c> items from <c>first</c> on, in order.</param>
    /// <param name="cancellationToken">Keeps batches that have not started from starting (a running batch watches the
    /// token <paramref name="hashBatch"/> gave it).</param>
    public DigestsAhead(int count, int batchSize, Func<int, int, T[]> hashBatch, CancellationToken cancellationToken)
    {
        BatchSize = batchSize;
        _batches = [.. Enumerable.Range(0, (count + batchSize - 1) / batchSize).Select(batch =>
        {
            var first = batch * batchSize;
            return new Lazy<Task<T[]>>(() => Task.Run(() => hashBatch(first, Math.Min(batchSize, count - first)), cancellationToken));
        })];
    }

    /// <summary>How many items are hashed together.</summary>
    public int BatchSize { get; }

    /// <summary>The digest of the item at <paramref name="position"/>.</summary>
    public async Task<T> GetAsync(int position)
    {
        var batch = position / BatchSize;
        if (batch + 1 < _batches.Length)
        {
            _ = _batches[batch + 1].Value;
        }

        var digests = await _batches[batch].Value.ConfigureAwait(false);
        return digests[position % BatchSize];
    }
}
