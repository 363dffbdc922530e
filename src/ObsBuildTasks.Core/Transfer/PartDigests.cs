using ObsBuildTasks.Hashing;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// The MD5s of the parts a run sends, computed before each is sent (it goes out as <c>Content-MD5</c>, and the answer's
/// ETag must equal it). Parts are hashed a batch at a time in the lanes of <see cref="LaneHasher"/>, in the order they
/// are sent: the first part asked for of a batch hashes the batch, and starts on the next one so that it is ready by
/// the time its parts are due. At most two batches, and so at most 2 × <see cref="MaxBatchBytes"/>, are read ahead of
/// the sends: with large parts a batch holds fewer of them, so the first byte goes out soon and a file read ahead is
/// still in the page cache when it is sent.
/// </summary>
internal sealed class PartDigests
{
    /// <summary>The most bytes one batch reads.</summary>
    public const long MaxBatchBytes = 512L * 1024 * 1024;

    private readonly Dictionary<int, int> _positions;
    private readonly Lazy<Task<byte[][]>>[] _batches;

    public PartDigests(LocalFile file, PartPlan plan, IReadOnlyList<int> partNumbers, CancellationToken cancellationToken)
    {
        BatchSize = (int)Math.Clamp(MaxBatchBytes / plan.PartSize, 1, LaneHasher.BatchSize);
        _positions = partNumbers.Select((number, position) => (number, position)).ToDictionary(pair => pair.number, pair => pair.position);
        _batches = partNumbers.Chunk(BatchSize)
            .Select(batch => new Lazy<Task<byte[][]>>(() => Task.Run(() => LaneHasher.Md5s(file, batch.Select(plan.Range).ToList(), cancellationToken), cancellationToken)))
            .ToArray();
    }

    /// <summary>How many parts are hashed together.</summary>
    public int BatchSize { get; }

    /// <summary>The MD5 of part <paramref name="partNumber"/>, one of the parts this was made for.</summary>
    public async Task<byte[]> Md5Async(int partNumber)
    {
        var position = _positions[partNumber];
        var batch = position / BatchSize;
        if (batch + 1 < _batches.Length)
        {
            _ = _batches[batch + 1].Value;
        }

        var md5s = await _batches[batch].Value.ConfigureAwait(false);
        return md5s[position % BatchSize];
    }
}
