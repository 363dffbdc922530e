using System.Security.Cryptography;
using ObsBuildTasks.Hashing;

namespace ObsBuildTasks.Transfer;

/// <summary>MD5 of byte ranges of the local file, and the ETags the service derives from them.</summary>
internal static class FileRangeHasher
{
    /// <summary>The MD5 (hex) of each of <paramref name="partNumbers"/>: batches of parts hashed together, up to
    /// <paramref name="concurrency"/> batches at once (hashing is CPU-bound; a local read is far cheaper than a send).</summary>
    public static async Task<IReadOnlyDictionary<int, string>> PartMd5sAsync(LocalFile file, PartPlan plan, IEnumerable<int> partNumbers,
        int concurrency, CancellationToken cancellationToken)
    {
        var md5s = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(concurrency, 1, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(partNumbers.Chunk(LaneHasher.BatchSize), options, (batch, token) =>
        {
            var hashed = LaneHasher.Md5s(file, batch.Select(plan.Range).ToList(), token);
            for (var index = 0; index < batch.Length; index++)
            {
                md5s[batch[index]] = ToHex(hashed[index]);
            }

            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        return md5s;
    }

    /// <summary>The MD5 (hex) of every part of <paramref name="plan"/>, in order.</summary>
    public static async Task<IReadOnlyList<string>> AllPartMd5sAsync(LocalFile file, PartPlan plan, int concurrency, CancellationToken cancellationToken)
    {
        var md5s = await PartMd5sAsync(file, plan, plan.PartNumbers, concurrency, cancellationToken).ConfigureAwait(false);
        return plan.PartNumbers.Select(number => md5s[number]).ToList();
    }

    /// <summary>Lowercase hex, the form ETags use.</summary>
    public static string ToHex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>The ETag of an object made of these parts: the MD5 itself for a single request; for multipart the MD5
    /// of the concatenated binary part MD5s, then <c>-N</c>.</summary>
    public static string ObjectETag(PartPlan plan, IReadOnlyList<string> partMd5Hex)
    {
        if (plan.IsSingleRequest)
        {
            return partMd5Hex[0];
        }

        var concatenated = partMd5Hex.SelectMany(Convert.FromHexString).ToArray();
        return $"{ToHex(MD5.HashData(concatenated))}-{partMd5Hex.Count}";
    }
}
