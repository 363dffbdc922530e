using ObsBuildTasks.Hashing;
using ObsBuildTasks.Testing.Store;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Tests.Transfer;

public sealed class PartDigestsTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(16 * MiB, 8)]
    [InlineData(100 * MiB, 5)]
    [InlineData(600 * MiB, 1)]
    public void A_batch_reads_at_most_512_MiB_ahead(long partSize, int expectedBatch)
    {
        using var file = LocalFile.Open(_files.Create("data.bin", 1));
        var plan = PartPlan.Create(40 * partSize, partSize);

        var digests = new PartDigests(file, plan, [.. plan.PartNumbers], CancellationToken.None);

        Assert.Equal(Math.Min(expectedBatch, LaneHasher.BatchSize), digests.BatchSize);
    }

    [Fact]
    public async Task Each_part_gets_the_md5_of_its_own_bytes()
    {
        var path = _files.Create("data.bin", 10 * UploadFileRequest.MinPartSize + 5);
        using var file = LocalFile.Open(path);
        var plan = PartPlan.Create(file.Length, UploadFileRequest.MinPartSize);
        int[] missing = [11, 2, 3, 5, 7, 8, 9, 10, 1];
        var digests = new PartDigests(file, plan, missing, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(path);

        foreach (var number in missing)
        {
            var expected = System.Security.Cryptography.MD5.HashData(bytes.AsSpan((int)plan.Offset(number), (int)plan.Length(number)));
            Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(await digests.Md5Async(number)));
        }
    }
}
