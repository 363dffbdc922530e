using System.Security.Cryptography;
using ObsBuildTasks.Hashing;
using ObsBuildTasks.Testing.Store;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Tests.Hashing;

public sealed class LaneHasherTests : IDisposable
{
    /// <summary>What one lane reads at a time (64 KiB less room for padding): lengths around it cross chunk boundaries.</summary>
    private const int Chunk = 64 * 1024 - 128;

    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Every_range_gets_its_own_md5_across_padding_boundaries_and_more_ranges_than_lanes()
    {
        long[] lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 100_000];
        var path = _files.Create("data.bin", 300_000);
        var ranges = lengths.Select((length, index) => new ByteRange(index * 7919 % 150_000, length)).ToList();

        AssertMatchesPlatformMd5(path, ranges);
    }

    [Fact]
    public void Ranges_of_several_chunks_and_ragged_ends_hash_together()
    {
        long[] lengths = [Chunk - 1, Chunk, Chunk + 1, 2 * Chunk, 3 * Chunk + 17, 5 * Chunk + 63, 10, 4 * Chunk - 64, 7 * Chunk + 1];
        var path = _files.Create("data.bin", 8L * Chunk + 1000);
        var ranges = lengths.Select((length, index) => new ByteRange(index * 333, length)).ToList();

        AssertMatchesPlatformMd5(path, ranges);
    }

    [Fact]
    public void Ranges_of_different_files_hash_together()
    {
        long[] sizes = [0, 3, Chunk + 5, 1000, 2 * Chunk, 64, 7, 100_000, 12];
        var paths = sizes.Select((size, index) => _files.Create($"file-{index}.bin", size, seed: index)).ToList();
        var files = paths.Select(LocalFile.Open).ToList();
        try
        {
            var md5s = LaneHasher.Md5s([.. files.Select(file => new FileRange(file, new ByteRange(0, file.Length)))], CancellationToken.None);

            Assert.Equal(paths.Select(TestFiles.Md5), md5s.Select(Convert.ToHexStringLower));
        }
        finally
        {
            files.ForEach(file => file.Dispose());
        }
    }

    [Fact]
    public void A_single_range_is_hashed_too()
    {
        var path = _files.Create("data.bin", 3 * Chunk);

        AssertMatchesPlatformMd5(path, [new ByteRange(5, 3 * Chunk - 5)]);
    }

    [Fact]
    public void A_file_shorter_than_a_range_is_a_changed_file()
    {
        var path = _files.Create("data.bin", 10_000);
        using var file = LocalFile.Open(path);

        var failure = Assert.Throws<ObsException>(() => LaneHasher.Md5s(file, [new ByteRange(0, 5_000), new ByteRange(5_000, 6_000)], CancellationToken.None));

        Assert.Equal(ObsErrorKind.FileChanged, failure.Kind);
    }

    [Fact]
    public void A_cancelled_hash_stops()
    {
        var path = _files.Create("data.bin", 4 * Chunk);
        using var file = LocalFile.Open(path);

        Assert.ThrowsAny<OperationCanceledException>(() =>
            LaneHasher.Md5s(file, [new ByteRange(0, 2 * Chunk), new ByteRange(2 * Chunk, 2 * Chunk)], new CancellationToken(canceled: true)));
    }

    [Fact]
    public void A_lane_left_out_keeps_its_state()
    {
        var lanes = new Md5Lanes();
        var buffer = new byte[Md5Lanes.Count * Md5Lanes.BlockSize];
        const int Hashed = 1;
        "abc"u8.CopyTo(buffer.AsSpan(Hashed * Md5Lanes.BlockSize));
        Md5Lanes.Pad(buffer.AsSpan(Hashed * Md5Lanes.BlockSize, Md5Lanes.BlockSize), 3, 3);
        var offsets = Enumerable.Range(0, Md5Lanes.Count).Select(lane => lane * Md5Lanes.BlockSize).ToArray();
        var active = Enumerable.Range(0, Md5Lanes.Count).Select(lane => lane == Hashed).ToArray();

        lanes.Compress(buffer, offsets, active, blocks: 1);

        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", Convert.ToHexStringLower(lanes.Digest(Hashed)));
        Assert.Equal("0123456789abcdeffedcba9876543210", Convert.ToHexStringLower(lanes.Digest(0)));
    }

    [Fact]
    public void Blocks_outside_the_buffer_are_refused()
    {
        var lanes = new Md5Lanes();
        var buffer = new byte[Md5Lanes.Count * Md5Lanes.BlockSize];
        var offsets = Enumerable.Range(0, Md5Lanes.Count).Select(lane => lane * Md5Lanes.BlockSize).ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => lanes.Compress(buffer, offsets, new bool[Md5Lanes.Count], blocks: 2));
    }

    private static void AssertMatchesPlatformMd5(string path, IReadOnlyList<ByteRange> ranges)
    {
        var bytes = File.ReadAllBytes(path);
        using var file = LocalFile.Open(path);

        var md5s = LaneHasher.Md5s(file, ranges, CancellationToken.None);

        Assert.Equal(
            ranges.Select(range => Convert.ToHexStringLower(MD5.HashData(bytes.AsSpan((int)range.Offset, (int)range.Length)))),
            md5s.Select(Convert.ToHexStringLower));
    }
}
