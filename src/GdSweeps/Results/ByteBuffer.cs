using System.Buffers;
using System.Buffers.Binary;

namespace GdSweeps.Results;

/// <summary>A growable byte buffer from the shared pool, cleared and reused page after page.</summary>
internal sealed class ByteBuffer : IDisposable
{
    private byte[] data = ArrayPool<byte>.Shared.Rent(1 << 16);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => data.AsSpan(0, Length);

    public void Clear() => Length = 0;

    /// <summary>The next <paramref name="count"/> bytes to fill; <see cref="Advance"/> then counts them in.</summary>
    public Span<byte> Reserve(int count)
    {
        if (Length + count > data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Length + count, 2 * data.Length));
            Span.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(data);
            data = larger;
        }

        return data.AsSpan(Length, count);
    }

    public void Advance(int count) => Length += count;

    public void Add(byte value)
    {
        Reserve(1)[0] = value;
        Length++;
    }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        Length += bytes.Length;
    }

    public void AddInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
        Length += 4;
    }

    /// <summary>Overwrites the four bytes at <paramref name="at"/> (a length written before what it counts).</summary>
    public void SetInt32(int at, int value) => BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(at, 4), value);

    /// <summary>An unsigned LEB128 varint, as Thrift's compact protocol and Parquet's run headers write them.</summary>
    public void AddVarint(ulong value)
    {
        while (value >= 0x80)
        {
            Add((byte)(value | 0x80));
            value >>= 7;
        }

        Add((byte)value);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(data);
        data = [];
    }
}
