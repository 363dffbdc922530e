using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ObsBuildTasks.Hashing;

/// <summary>
/// MD5 (RFC 1321) of eight byte sequences at once, one in each 32-bit lane of a <see cref="Vector256{T}"/> (AVX2).
/// </summary>
/// <remarks>
/// One MD5 is a chain of 64 dependent steps per block, so a single stream keeps a core waiting on its own results;
/// the lanes run that chain for every sequence in the same instructions, and the parts of an upload are exactly such
/// independent sequences. Callers hand each lane whole 64-byte blocks, padding included (see <see cref="Pad"/>), and
/// choose per call which lanes take part; a lane left out keeps its state.
/// </remarks>
internal sealed class Md5Lanes
{
    /// <summary>The size of an MD5 block.</summary>
    public const int BlockSize = 64;

    private Vector256<uint> _a = Vector256.Create(0x67452301u);
    private Vector256<uint> _b = Vector256.Create(0xefcdab89u);
    private Vector256<uint> _c = Vector256.Create(0x98badcfeu);
    private Vector256<uint> _d = Vector256.Create(0x10325476u);

    /// <summary>How many sequences are hashed at once.</summary>
    public static int Count => Vector256<uint>.Count;

    /// <summary>Whether the processor has what the lanes need (AVX2: 256-bit integer vectors and gathers). Elsewhere
    /// one sequence at a time, through the platform's MD5, is the way.</summary>
    public static bool IsAccelerated => Avx2.IsSupported;

    /// <summary>Adds <paramref name="blocks"/> blocks to each lane whose <paramref name="active"/> entry is
    /// <see langword="true"/>; that lane's blocks start at its entry of <paramref name="offsets"/> in
    /// <paramref name="buffer"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">Not <see cref="IsAccelerated"/>.</exception>
    /// <remarks>Compiled optimized at once: code that uses AVX2 cannot be precompiled for any x64 processor, and its
    /// unoptimized first form would hash the first parts many times slower.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compress(ReadOnlySpan<byte> buffer, ReadOnlySpan<int> offsets, ReadOnlySpan<bool> active, int blocks)
    {
        if (!IsAccelerated)
        {
            throw new PlatformNotSupportedException("Hashing in lanes needs AVX2.");
        }

        if (offsets.Length != Count || active.Length != Count)
        {
            throw new ArgumentException($"One offset and one flag per lane ({Count}) are needed.");
        }

        Span<uint> mask = stackalloc uint[Count];
        for (var lane = 0; lane < Count; lane++)
        {
            // Reads below are unchecked: every lane's blocks must lie inside the buffer, taking part or not.
            ArgumentOutOfRangeException.ThrowIfGreaterThan((long)offsets[lane] + ((long)blocks * BlockSize), buffer.Length, nameof(blocks));
            ArgumentOutOfRangeException.ThrowIfNegative(offsets[lane], nameof(offsets));
            mask[lane] = active[lane] ? uint.MaxValue : 0;
        }

        var taking = Vector256.Create<uint>(mask);
        var lanes = Vector256.Create(offsets);
        unsafe
        {
            fixed (byte* start = buffer)
            {
                for (var block = 0; block < blocks; block++)
                {
                    CompressBlock((uint*)(start + (block * BlockSize)), lanes, taking);
                }
            }
        }
    }

    /// <summary>The digest of <paramref name="lane"/>, once its last (padded) block was added.</summary>
    public byte[] Digest(int lane)
    {
        var digest = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(0), _a[lane]);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(4), _b[lane]);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(8), _c[lane]);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(12), _d[lane]);
        return digest;
    }

    /// <summary>Appends MD5's padding after the last <paramref name="dataLength"/> bytes of a sequence of
    /// <paramref name="totalLength"/> bytes (0x80, zeros, the length in bits); returns the bytes to hash, a whole number
    /// of blocks. <paramref name="buffer"/> needs room for up to two blocks more than the data.</summary>
    public static int Pad(Span<byte> buffer, int dataLength, long totalLength)
    {
        var padded = ((dataLength + sizeof(ulong)) / BlockSize + 1) * BlockSize;
        buffer[dataLength] = 0x80;
        buffer[(dataLength + 1)..(padded - sizeof(ulong))].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[(padded - sizeof(ulong))..], (ulong)totalLength * 8);
        return padded;
    }

    /// <summary>MD5's additive constant of each of the 64 steps.</summary>
    private static ReadOnlySpan<uint> Constants =>
    [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];

    /// <summary>How far each step of a group of four rotates, round by round.</summary>
    private static ReadOnlySpan<byte> Shifts => [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

    /// <summary>Which word of the block each of the 64 steps adds.</summary>
    private static ReadOnlySpan<byte> WordOrder =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        1, 6, 11, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12,
        5, 8, 11, 14, 1, 4, 7, 10, 13, 0, 3, 6, 9, 12, 15, 2,
        0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9,
    ];

    /// <summary>Adds one block to each lane taking part: word <c>j</c> of every lane's block (at <paramref name="block"/>
    /// plus the lane's offset in bytes) is gathered into one vector, one instruction for the eight lanes.</summary>
    /// <remarks>
    /// One loop over sixteen groups of four steps (after four steps a, b, c and d are back in their roles), each group
    /// taking its round's mixing function, rotations, constants and words from tables: as fast as the 64 steps written
    /// out (the round's branch is predicted, off the chain of dependent steps), a quarter of the code, and so of the
    /// memory the JIT takes to compile it (2 MB with one loop per round, against 6.6 MB written out, which was the
    /// largest compilation of an upload inside <c>dotnet build</c>; memory once taken stays with the process:
    /// docs/benchmark.md, "Memory inside dotnet build").
    /// Compiled optimized at its first call, like <see cref="Compress"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void CompressBlock(uint* block, Vector256<int> lanes, Vector256<uint> taking)
    {
        var words = default(BlockWords);
        for (var word = 0; word < 16; word++)
        {
            words[word] = Avx2.GatherVector256(block + word, lanes, sizeof(byte));
        }

        var (a, b, c, d) = (_a, _b, _c, _d);
        var constants = Constants;
        var order = WordOrder;
        for (var step = 0; step < 64; step += 4)
        {
            var round = step / 16;
            var shifts = Shifts.Slice(round * 4, 4);
            a = Step(a, b, Mix(round, b, c, d), words[order[step]], constants[step], shifts[0]);
            d = Step(d, a, Mix(round, a, b, c), words[order[step + 1]], constants[step + 1], shifts[1]);
            c = Step(c, d, Mix(round, d, a, b), words[order[step + 2]], constants[step + 2], shifts[2]);
            b = Step(b, c, Mix(round, c, d, a), words[order[step + 3]], constants[step + 3], shifts[3]);
        }

        _a += a & taking;
        _b += b & taking;
        _c += c & taking;
        _d += d & taking;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Step(Vector256<uint> a, Vector256<uint> b, Vector256<uint> f, Vector256<uint> word, uint constant, byte shift)
    {
        // Only f waits for the previous step; the rest of the sum is ready before it.
        var sum = a + (word + Vector256.Create(constant)) + f;
        return b + RotateLeft(sum, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateLeft(Vector256<uint> value, byte count) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeftVariable(value, Vector256.Create((uint)count))
            : Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 32 - count);

    /// <summary>The round's mixing function: F, G, H and I of RFC 1321.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Mix(int round, Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => round switch
    {
        0 => Vector256.ConditionalSelect(x, y, z),
        1 => Vector256.ConditionalSelect(z, x, y),
        2 => x ^ y ^ z,
        _ => y ^ (x | ~z),
    };

    /// <summary>The 16 words of one block, each gathered from every lane.</summary>
    [InlineArray(16)]
    private struct BlockWords
    {
        private Vector256<uint> _word;
    }
}
