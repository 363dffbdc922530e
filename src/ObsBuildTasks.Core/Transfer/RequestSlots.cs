namespace ObsBuildTasks.Transfer;

/// <summary>Caps the requests in flight for a whole call, across all of its files (<c>TaskNum</c>).</summary>
internal sealed class RequestSlots(int count) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(count, count);

    public int Count => count;

    /// <summary>Runs <paramref name="request"/> once a slot is free; the slot is held through its retries.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await request().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
