using ObsBuildTasks.Hashing;

namespace ObsBuildTasks.Transfer;

/// <summary>
/// The MD5s of the parts a run sends, computed before each is sent (it goes out as <c>Content-MD5</c>, and the answer's
/// ETag must equal it). Parts are hashed a batch at a time in the lanes of <see cref="LaneHasher"/>, in the order they
/// are sent, a batch ahead of their sends (<see cref="DigestsAhead{T}"/>). At most two batches, and so at most
/// 2 × <see cref="MaxBatchBytes"/>, are read ahead of the sends: with large parts a batch holds fewer of them, so the
/// first byte goes out soon and a file read ahead is still in the page cache when it is sent.
/// </summary>
internal sealed class PartDigests
{
    /// <summary>The most bytes one batch reads.</summary>
    public const long MaxBatchBytes = 512L * 1024 * 1024;

    private readonly Dictionary<int, int> _positions;
    private readonly DigestsAhead<byte[]> _digests;

    public PartDigests(LocalFile file, PartPlan plan, IReadOnlyList<int> partNumbers, CancellationToken cancellationToken)
    {
        _positions = partNumbers.Select((number, position) => (number, position)).ToDictionary(pair => pair.number, pair => pair.position);
        _digests = new DigestsAhead<byte[]>(partNumbers.Count, (int)Math.Clamp(MaxBatchBytes / plan.PartSize, 1, LaneHasher.BatchSize),
            (first, count) => LaneHasher.Md5s(file, [.. partNumbers.Skip(first).Take(count).Select(plan.Range)], cancellationToken),
            cancellationToken);
    }

    /// <summary>How many parts are hashed together.</summary>
    public int BatchSize => _digests.BatchSize;

    /// <summary>The MD5 of part <paramref name="partNumber"/>, one of the parts this was made for.</summary>
    public Task<byte[]> Md5Async(int partNumber) => _digests.GetAsync(_positions[partNumber]);
}
