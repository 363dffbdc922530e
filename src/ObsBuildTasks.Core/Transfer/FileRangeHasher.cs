using System.Buffers;
using System.Security.Cryptography;

namespace ObsBuildTasks.Transfer;

/// <summary>MD5 of byte ranges of the local file, and the ETags the service derives from them.</summary>
internal static class FileRangeHasher
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>The MD5 of <paramref name="length"/> bytes of <paramref name="file"/> from <paramref name="offset"/>,
    /// read through one pooled buffer; <paramref name="cancellationToken"/> is checked between chunks.</summary>
    public static byte[] Md5(LocalFile file, long offset, long length, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length, 1, ChunkSize));
        try
        {
            for (long done = 0; done < length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done));
                file.Read(offset + done, chunk);
                md5.AppendData(chunk);
                done += chunk.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return md5.GetHashAndReset();
    }

    /// <summary>The MD5 (hex) of each of <paramref name="partNumbers"/>, hashed on up to
    /// <paramref name="concurrency"/> threads (hashing is CPU-bound; a local read is far cheaper than a send).</summary>
    public static async Task<IReadOnlyDictionary<int, string>> PartMd5sAsync(LocalFile file, PartPlan plan, IEnumerable<int> partNumbers,
        int concurrency, CancellationToken cancellationToken)
    {
        var md5s = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(concurrency, 1, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(partNumbers, options, (number, token) =>
        {
            md5s[number] = ToHex(Md5(file, plan.Offset(number), plan.Length(number), token));
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
