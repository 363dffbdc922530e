using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>Adds one block to each lane taking part: word <c>j</c> of every lane's block (at <paramref name="block"/>
    /// plus the lane's offset in bytes) is gathered into one vector, one instruction for the eight lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void CompressBlock(uint* block, Vector256<int> lanes, Vector256<uint> taking)
    {
        var m0 = Avx2.GatherVector256(block, lanes, sizeof(byte));
        var m1 = Avx2.GatherVector256(block + 1, lanes, sizeof(byte));
        var m2 = Avx2.GatherVector256(block + 2, lanes, sizeof(byte));
        var m3 = Avx2.GatherVector256(block + 3, lanes, sizeof(byte));
        var m4 = Avx2.GatherVector256(block + 4, lanes, sizeof(byte));
        var m5 = Avx2.GatherVector256(block + 5, lanes, sizeof(byte));
        var m6 = Avx2.GatherVector256(block + 6, lanes, sizeof(byte));
        var m7 = Avx2.GatherVector256(block + 7, lanes, sizeof(byte));
        var m8 = Avx2.GatherVector256(block + 8, lanes, sizeof(byte));
        var m9 = Avx2.GatherVector256(block + 9, lanes, sizeof(byte));
        var m10 = Avx2.GatherVector256(block + 10, lanes, sizeof(byte));
        var m11 = Avx2.GatherVector256(block + 11, lanes, sizeof(byte));
        var m12 = Avx2.GatherVector256(block + 12, lanes, sizeof(byte));
        var m13 = Avx2.GatherVector256(block + 13, lanes, sizeof(byte));
        var m14 = Avx2.GatherVector256(block + 14, lanes, sizeof(byte));
        var m15 = Avx2.GatherVector256(block + 15, lanes, sizeof(byte));
        var (a, b, c, d) = (_a, _b, _c, _d);

        unchecked
        {
            a = Step(a, b, F(b, c, d), m0, 0xd76aa478, 7);
            d = Step(d, a, F(a, b, c), m1, 0xe8c7b756, 12);
            c = Step(c, d, F(d, a, b), m2, 0x242070db, 17);
            b = Step(b, c, F(c, d, a), m3, 0xc1bdceee, 22);
            a = Step(a, b, F(b, c, d), m4, 0xf57c0faf, 7);
            d = Step(d, a, F(a, b, c), m5, 0x4787c62a, 12);
            c = Step(c, d, F(d, a, b), m6, 0xa8304613, 17);
            b = Step(b, c, F(c, d, a), m7, 0xfd469501, 22);
            a = Step(a, b, F(b, c, d), m8, 0x698098d8, 7);
            d = Step(d, a, F(a, b, c), m9, 0x8b44f7af, 12);
            c = Step(c, d, F(d, a, b), m10, 0xffff5bb1, 17);
            b = Step(b, c, F(c, d, a), m11, 0x895cd7be, 22);
            a = Step(a, b, F(b, c, d), m12, 0x6b901122, 7);
            d = Step(d, a, F(a, b, c), m13, 0xfd987193, 12);
            c = Step(c, d, F(d, a, b), m14, 0xa679438e, 17);
            b = Step(b, c, F(c, d, a), m15, 0x49b40821, 22);

            a = Step(a, b, G(b, c, d), m1, 0xf61e2562, 5);
            d = Step(d, a, G(a, b, c), m6, 0xc040b340, 9);
            c = Step(c, d, G(d, a, b), m11, 0x265e5a51, 14);
            b = Step(b, c, G(c, d, a), m0, 0xe9b6c7aa, 20);
            a = Step(a, b, G(b, c, d), m5, 0xd62f105d, 5);
            d = Step(d, a, G(a, b, c), m10, 0x02441453, 9);
            c = Step(c, d, G(d, a, b), m15, 0xd8a1e681, 14);
            b = Step(b, c, G(c, d, a), m4, 0xe7d3fbc8, 20);
            a = Step(a, b, G(b, c, d), m9, 0x21e1cde6, 5);
            d = Step(d, a, G(a, b, c), m14, 0xc33707d6, 9);
            c = Step(c, d, G(d, a, b), m3, 0xf4d50d87, 14);
            b = Step(b, c, G(c, d, a), m8, 0x455a14ed, 20);
            a = Step(a, b, G(b, c, d), m13, 0xa9e3e905, 5);
            d = Step(d, a, G(a, b, c), m2, 0xfcefa3f8, 9);
            c = Step(c, d, G(d, a, b), m7, 0x676f02d9, 14);
            b = Step(b, c, G(c, d, a), m12, 0x8d2a4c8a, 20);

            a = Step(a, b, H(b, c, d), m5, 0xfffa3942, 4);
            d = Step(d, a, H(a, b, c), m8, 0x8771f681, 11);
            c = Step(c, d, H(d, a, b), m11, 0x6d9d6122, 16);
            b = Step(b, c, H(c, d, a), m14, 0xfde5380c, 23);
            a = Step(a, b, H(b, c, d), m1, 0xa4beea44, 4);
            d = Step(d, a, H(a, b, c), m4, 0x4bdecfa9, 11);
            c = Step(c, d, H(d, a, b), m7, 0xf6bb4b60, 16);
            b = Step(b, c, H(c, d, a), m10, 0xbebfbc70, 23);
            a = Step(a, b, H(b, c, d), m13, 0x289b7ec6, 4);
            d = Step(d, a, H(a, b, c), m0, 0xeaa127fa, 11);
            c = Step(c, d, H(d, a, b), m3, 0xd4ef3085, 16);
            b = Step(b, c, H(c, d, a), m6, 0x04881d05, 23);
            a = Step(a, b, H(b, c, d), m9, 0xd9d4d039, 4);
            d = Step(d, a, H(a, b, c), m12, 0xe6db99e5, 11);
            c = Step(c, d, H(d, a, b), m15, 0x1fa27cf8, 16);
            b = Step(b, c, H(c, d, a), m2, 0xc4ac5665, 23);

            a = Step(a, b, I(b, c, d), m0, 0xf4292244, 6);
            d = Step(d, a, I(a, b, c), m7, 0x432aff97, 10);
            c = Step(c, d, I(d, a, b), m14, 0xab9423a7, 15);
            b = Step(b, c, I(c, d, a), m5, 0xfc93a039, 21);
            a = Step(a, b, I(b, c, d), m12, 0x655b59c3, 6);
            d = Step(d, a, I(a, b, c), m3, 0x8f0ccc92, 10);
            c = Step(c, d, I(d, a, b), m10, 0xffeff47d, 15);
            b = Step(b, c, I(c, d, a), m1, 0x85845dd1, 21);
            a = Step(a, b, I(b, c, d), m8, 0x6fa87e4f, 6);
            d = Step(d, a, I(a, b, c), m15, 0xfe2ce6e0, 10);
            c = Step(c, d, I(d, a, b), m6, 0xa3014314, 15);
            b = Step(b, c, I(c, d, a), m13, 0x4e0811a1, 21);
            a = Step(a, b, I(b, c, d), m4, 0xf7537e82, 6);
            d = Step(d, a, I(a, b, c), m11, 0xbd3af235, 10);
            c = Step(c, d, I(d, a, b), m2, 0x2ad7d2bb, 15);
            b = Step(b, c, I(c, d, a), m9, 0xeb86d391, 21);
        }

        _a += a & taking;
        _b += b & taking;
        _c += c & taking;
        _d += d & taking;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Step(Vector256<uint> a, Vector256<uint> b, Vector256<uint> f, Vector256<uint> word, uint constant, [ConstantExpected(Min = 1, Max = 31)] byte shift)
    {
        // Only f waits for the previous step; the rest of the sum is ready before it.
        var sum = a + (word + Vector256.Create(constant)) + f;
        return b + RotateLeft(sum, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateLeft(Vector256<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeft(value, count)
            : Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 32 - count);

    private static Vector256<uint> F(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => Vector256.ConditionalSelect(x, y, z);

    private static Vector256<uint> G(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => Vector256.ConditionalSelect(z, x, y);

    private static Vector256<uint> H(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => x ^ y ^ z;

    private static Vector256<uint> I(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => y ^ (x | ~z);
}
