using ObsBuildTasks.Hashing;

namespace ObsBuildTasks.Transfer;

/// <summary>How a file is cut into parts: the requested part size, grown so no file needs more than 10,000 parts.</summary>
internal sealed record PartPlan(long FileSize, long PartSize, int PartCount)
{
    /// <summary>Plans <paramref name="fileSize"/> bytes in parts of (at least) <paramref name="requestedPartSize"/>.</summary>
    public static PartPlan Create(long fileSize, long requestedPartSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestedPartSize, 1);
        var partSize = Math.Max(requestedPartSize, CeilingDivide(fileSize, UploadFileRequest.MaxPartCount));
        var partCount = fileSize == 0 ? 1 : (int)CeilingDivide(fileSize, partSize);
        return new PartPlan(fileSize, partSize, partCount);
    }

    /// <summary>Whether the file goes up in one <c>PUT</c> (it fits in one part; empty files included).</summary>
    public bool IsSingleRequest => PartCount == 1;

    /// <summary>Part numbers, from 1.</summary>
    public IEnumerable<int> PartNumbers => Enumerable.Range(1, PartCount);

    /// <summary>Where part <paramref name="partNumber"/> starts.</summary>
    public long Offset(int partNumber) => (partNumber - 1) * PartSize;

    /// <summary>How long part <paramref name="partNumber"/> is (the last one may be shorter).</summary>
    public long Length(int partNumber) => Math.Min(PartSize, FileSize - Offset(partNumber));

    /// <summary>The bytes of part <paramref name="partNumber"/>.</summary>
    public ByteRange Range(int partNumber) => new(Offset(partNumber), Length(partNumber));

    private static long CeilingDivide(long value, long divisor) => (value + divisor - 1) / divisor;
}
