using ObsBuildTasks.Hashing;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// The MD5s of the parts a run sends, computed before each is sent (it goes out as <c>Content-MD5</c>, and the answer's
/// ETag must equal it). Parts are hashed a batch at a time in the lanes of <see cref="LaneHasher"/>, in the order they
/// are sent: the first part asked for of a batch hashes the batch, and starts on the next one so that it is ready by
/// the time its parts are due. At most two batches are read ahead of the sends.
/// </summary>
internal sealed class PartDigests
{
    private readonly Dictionary<int, int> _positions;
    private readonly Lazy<Task<byte[][]>>[] _batches;

    public PartDigests(LocalFile file, PartPlan plan, IReadOnlyList<int> partNumbers, CancellationToken cancellationToken)
    {
        _positions = partNumbers.Select((number, position) => (number, position)).ToDictionary(pair => pair.number, pair => pair.position);
        _batches = partNumbers.Chunk(LaneHasher.BatchSize)
            .Select(batch => new Lazy<Task<byte[][]>>(() => Task.Run(() => LaneHasher.Md5s(file, batch.Select(plan.Range).ToList(), cancellationToken), cancellationToken)))
            .ToArray();
    }

    /// <summary>The MD5 of part <paramref name="partNumber"/>, one of the parts this was made for.</summary>
    public async Task<byte[]> Md5Async(int partNumber)
    {
        var position = _positions[partNumber];
        var batch = position / LaneHasher.BatchSize;
        if (batch + 1 < _batches.Length)
        {
            _ = _batches[batch + 1].Value;
        }

        var md5s = await _batches[batch].Value.ConfigureAwait(false);
        return md5s[position % LaneHasher.BatchSize];
    }
}
