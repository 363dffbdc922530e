using System.Buffers;
using System.Security.Cryptography;
using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Hashing;

/// <summary>
/// The MD5s of byte ranges of files, hashed <see cref="Md5Lanes.Count"/> at a time in the lanes of
/// <see cref="Md5Lanes"/>: the parts of a multipart upload cost a fraction of hashing them one after another. One range,
/// or a processor without vectors, goes through the platform's MD5.
/// </summary>
internal static class LaneHasher
{
    /// <summary>The bytes one lane reads at a time; with the room for padding, a lane takes 64 KiB of the buffer.</summary>
    private const int ChunkSize = LaneStride - (2 * Md5Lanes.BlockSize);

    private const int LaneStride = 64 * 1024;

    /// <summary>How many ranges are hashed together; a caller that hands over this many at once wastes no lane.</summary>
    public static int BatchSize => Md5Lanes.IsAccelerated ? Md5Lanes.Count : 1;

    /// <summary>The MD5 of each of <paramref name="ranges"/> of <paramref name="file"/>, in the same order.
    /// <paramref name="cancellationToken"/> is checked between reads.</summary>
    public static byte[][] Md5s(LocalFile file, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken) =>
        Md5s([.. ranges.Select(range => new FileRange(file, range))], cancellationToken);

    /// <summary>The MD5 of each of <paramref name="ranges"/>, in the same order; they may be of different files.
    /// <paramref name="cancellationToken"/> is checked between reads.</summary>
    public static byte[][] Md5s(IReadOnlyList<FileRange> ranges, CancellationToken cancellationToken)
    {
        var md5s = new byte[ranges.Count][];
        if (!Md5Lanes.IsAccelerated || ranges.Count == 1)
        {
            for (var index = 0; index < ranges.Count; index++)
            {
                md5s[index] = Md5(ranges[index].File, ranges[index].Range, cancellationToken);
            }

            return md5s;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Md5Lanes.Count * LaneStride);
        try
        {
            for (var first = 0; first < ranges.Count; first += Md5Lanes.Count)
            {
                new Batch(buffer, cancellationToken).Hash(ranges, first, md5s);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return md5s;
    }

    /// <summary>The MD5 of one range, through the platform's MD5 and one pooled buffer.</summary>
    public static byte[] Md5(LocalFile file, ByteRange range, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(range.Length, 1, 16 * LaneStride));
        try
        {
            for (long done = 0; done < range.Length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, range.Length - done));
                file.Read(range.Offset + done, chunk);
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

    /// <summary>Up to <see cref="Md5Lanes.Count"/> ranges hashed together: each lane reads its range a chunk at a time
    /// into its own stretch of the buffer, and every round adds the blocks all busy lanes have.</summary>
    private sealed class Batch(byte[] buffer, CancellationToken cancellationToken)
    {
        private readonly Md5Lanes _lanes = new();
        private readonly int[] _offsets = new int[Md5Lanes.Count];
        private readonly int[] _blocksLeft = new int[Md5Lanes.Count];
        private readonly bool[] _busy = new bool[Md5Lanes.Count];
        private readonly FileRange[] _ranges = new FileRange[Md5Lanes.Count];
        private readonly long[] _read = new long[Md5Lanes.Count];

        public void Hash(IReadOnlyList<FileRange> ranges, int first, byte[][] md5s)
        {
            for (var lane = 0; lane < Md5Lanes.Count; lane++)
            {
                _offsets[lane] = lane * LaneStride;
                if (first + lane < ranges.Count)
                {
                    _ranges[lane] = ranges[first + lane];
                    _busy[lane] = true;
                    Refill(lane);
                }
            }

            while (Array.IndexOf(_busy, true) >= 0)
            {
                var blocks = Fewest();
                _lanes.Compress(buffer, _offsets, _busy, blocks);
                for (var lane = 0; lane < Md5Lanes.Count; lane++)
                {
                    if (!_busy[lane])
                    {
                        continue;
                    }

                    _offsets[lane] += blocks * Md5Lanes.BlockSize;
                    _blocksLeft[lane] -= blocks;
                    if (_blocksLeft[lane] > 0)
                    {
                        continue;
                    }

                    if (_read[lane] < _ranges[lane].Range.Length)
                    {
                        Refill(lane);
                    }
                    else
                    {
                        md5s[first + lane] = _lanes.Digest(lane);
                        _busy[lane] = false;
                        _offsets[lane] = lane * LaneStride;
                    }
                }
            }
        }

        /// <summary>The blocks every busy lane has left in its chunk.</summary>
        private int Fewest()
        {
            var fewest = int.MaxValue;
            for (var lane = 0; lane < Md5Lanes.Count; lane++)
            {
                if (_busy[lane])
                {
                    fewest = Math.Min(fewest, _blocksLeft[lane]);
                }
            }

            return fewest;
        }

        /// <summary>Reads the lane's next chunk; the last one gets MD5's padding.</summary>
        private void Refill(int lane)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (file, range) = _ranges[lane];
            var length = (int)Math.Min(ChunkSize, range.Length - _read[lane]);
            var stretch = buffer.AsSpan(lane * LaneStride, LaneStride);
            file.Read(range.Offset + _read[lane], stretch[..length]);
            _read[lane] += length;
            var bytes = _read[lane] == range.Length ? Md5Lanes.Pad(stretch, length, range.Length) : length;
            _offsets[lane] = lane * LaneStride;
            _blocksLeft[lane] = bytes / Md5Lanes.BlockSize;
        }
    }
}
