using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace ObsBuildTasks.Transfer;

/// <summary>MD5 of byte ranges of a local file, and the ETags the service derives from them.</summary>
internal static class FileRangeHasher
{
    private const int ChunkSize = 1024 * 1024;

    public static async Task<byte[]> Md5Async(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await FileRange.ReadAsync(file, offset, length, ChunkSize, (chunk, _) =>
        {
            md5.AppendData(chunk.Span);
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return md5.GetHashAndReset();
    }

    /// <summary>The MD5 (hex) of every part of <paramref name="plan"/>, in order.</summary>
    public static async Task<IReadOnlyList<string>> PartMd5sAsync(SafeFileHandle file, PartPlan plan, CancellationToken cancellationToken)
    {
        var md5s = new List<string>(plan.PartCount);
        foreach (var number in plan.PartNumbers)
        {
            md5s.Add(ToHex(await Md5Async(file, plan.Offset(number), plan.Length(number), cancellationToken).ConfigureAwait(false)));
        }

        return md5s;
    }

    /// <summary>Lowercase hex, the form ETags use.</summary>
    public static string ToHex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>The ETag of a multipart object: MD5 of the concatenated binary part MD5s, then <c>-N</c>.</summary>
    public static string MultipartETag(IReadOnlyList<string> partMd5Hex)
    {
        var concatenated = partMd5Hex.SelectMany(Convert.FromHexString).ToArray();
        return $"{ToHex(MD5.HashData(concatenated))}-{partMd5Hex.Count}";
    }
}
