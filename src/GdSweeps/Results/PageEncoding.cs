using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace GdSweeps.Results;

/// <summary>
/// The value encodings of Parquet's pages that GdSweeps writes: plain, byte stream split, and the run-length and
/// bit-packing hybrid of definition levels and dictionary indices (parquet-format's Encodings.md).
/// </summary>
internal static class PageEncoding
{
    /// <summary>
    /// <paramref name="values"/> (each below 2^<paramref name="bitWidth"/>) in the hybrid: a run of 8 or more equal
    /// values as one repeated value, the rest bit-packed 8 at a time.
    /// </summary>
    public static void Hybrid(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output)
    {
        var valueBytes = (bitWidth + 7) / 8;
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i, int.MaxValue);
            if (run >= 8)
            {
                output.AddVarint((ulong)run << 1);
                var value = values[i];
                for (var b = 0; b < valueBytes; b++)
                {
                    output.Add((byte)(value >> (8 * b)));
                }

                i += run;
                continue;
            }

            // Groups of 8 until a long run starts (at most 63 groups a header, as parquet-cpp writes them); the last
            // group is padded with zeros, which the reader ignores past the page's value count.
            var start = i;
            var groups = 0;
            do
            {
                groups++;
                i += 8;
            }
            while (i < values.Length && groups < 63 && RunLength(values, i, 8) < 8);

            output.AddVarint((ulong)groups << 1 | 1);
            var packed = output.Reserve(groups * bitWidth);
            packed.Clear();
            var bit = 0L;
            for (var k = start; k < start + groups * 8; k++, bit += bitWidth)
            {
                var value = k < values.Length ? (ulong)(uint)values[k] : 0;
                for (var done = 0; done < bitWidth;)
                {
                    var at = (int)((bit + done) >> 3);
                    var shift = (int)((bit + done) & 7);
                    packed[at] |= (byte)(value >> done << shift);
                    done += 8 - shift;
                }
            }

            output.Advance(groups * bitWidth);
        }
    }

    private static int RunLength(ReadOnlySpan<int> values, int start, int limit)
    {
        var end = start + 1;
        while (end < values.Length && end - start < limit && values[end] == values[start])
        {
            end++;
        }

        return end - start;
    }

    /// <summary>The bits needed for values up to <paramref name="max"/> (at least 1).</summary>
    public static int BitWidth(int max) => Math.Max(1, 32 - int.LeadingZeroCount(max));

    /// <summary>Fixed-width numbers, little-endian as they are in memory.</summary>
    public static void Plain<T>(ReadOnlySpan<T> values, ByteBuffer output)
        where T : unmanaged => output.Add(MemoryMarshal.AsBytes(values));

    /// <summary>Booleans, one bit each, least significant first.</summary>
    public static void Plain(ReadOnlySpan<bool> values, ByteBuffer output)
    {
        var bytes = output.Reserve((values.Length + 7) / 8);
        bytes.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                bytes[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        output.Advance(bytes.Length);
    }

    /// <summary>Strings as UTF-8, each after its length in four bytes.</summary>
    public static void Plain(ReadOnlySpan<string> values, ByteBuffer output)
    {
        foreach (var value in values)
        {
            var bytes = output.Reserve(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
            var length = Encoding.UTF8.GetBytes(value, bytes[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
            output.Advance(4 + length);
        }
    }

    /// <summary>
    /// Doubles split into 8 streams, byte k of every value in the k-th: the sign and exponent bytes of slowly changing
    /// values then sit together, and compress.
    /// </summary>
    public static void ByteStreamSplit(ReadOnlySpan<double> values, ByteBuffer output)
    {
        var n = values.Length;
        var bits = MemoryMarshal.Cast<double, ulong>(values);
        var streams = output.Reserve(8 * n);
        var i = 0;
        for (; i + 8 <= n; i += 8)
        {
            // Eight values' bytes transposed (value r's byte c to word c's byte r): blocks of 4, 2, then 1 bytes swapped
            // across the diagonal.
            var block = bits.Slice(i, 8);
            ulong a0 = block[0], a1 = block[1], a2 = block[2], a3 = block[3], a4 = block[4], a5 = block[5], a6 = block[6], a7 = block[7];
            Swap(ref a0, ref a4, 32, 0x00000000FFFFFFFFUL);
            Swap(ref a1, ref a5, 32, 0x00000000FFFFFFFFUL);
            Swap(ref a2, ref a6, 32, 0x00000000FFFFFFFFUL);
            Swap(ref a3, ref a7, 32, 0x00000000FFFFFFFFUL);
            Swap(ref a0, ref a2, 16, 0x0000FFFF0000FFFFUL);
            Swap(ref a1, ref a3, 16, 0x0000FFFF0000FFFFUL);
            Swap(ref a4, ref a6, 16, 0x0000FFFF0000FFFFUL);
            Swap(ref a5, ref a7, 16, 0x0000FFFF0000FFFFUL);
            Swap(ref a0, ref a1, 8, 0x00FF00FF00FF00FFUL);
            Swap(ref a2, ref a3, 8, 0x00FF00FF00FF00FFUL);
            Swap(ref a4, ref a5, 8, 0x00FF00FF00FF00FFUL);
            Swap(ref a6, ref a7, 8, 0x00FF00FF00FF00FFUL);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[i..], a0);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[(n + i)..], a1);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[((2 * n) + i)..], a2);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[((3 * n) + i)..], a3);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[((4 * n) + i)..], a4);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[((5 * n) + i)..], a5);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[((6 * n) + i)..], a6);
            BinaryPrimitives.WriteUInt64LittleEndian(streams[((7 * n) + i)..], a7);
        }

        for (; i < n; i++)
        {
            for (var k = 0; k < 8; k++)
            {
                streams[(k * n) + i] = (byte)(bits[i] >> (8 * k));
            }
        }

        output.Advance(8 * n);
    }

    /// <summary>Swaps the masked low part of <paramref name="high"/> with the part of <paramref name="low"/> <paramref name="shift"/> bits above it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swap(ref ulong low, ref ulong high, int shift, ulong mask)
    {
        var t = ((low >> shift) ^ high) & mask;
        high ^= t;
        low ^= t << shift;
    }
}
