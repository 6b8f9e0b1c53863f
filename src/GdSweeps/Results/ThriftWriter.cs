using System.Text;

namespace GdSweeps.Results;

/// <summary>
/// Writes Thrift's compact protocol, the encoding of Parquet's page headers and footer: fields by id delta and type,
/// integers as zigzag varints, a struct ended by a zero byte.
/// </summary>
internal sealed class ThriftWriter(ByteBuffer output)
{
    private const byte True = 1, False = 2, I32Type = 5, I64Type = 6, BinaryType = 8, ListType = 9, StructType = 12;

    private readonly Stack<short> outer = new();
    private short last;

    public void I32(short id, int value)
    {
        Field(id, I32Type);
        output.AddVarint(ZigZag(value));
    }

    public void I64(short id, long value)
    {
        Field(id, I64Type);
        output.AddVarint(ZigZag(value));
    }

    public void Bool(short id, bool value) => Field(id, value ? True : False);

    public void Binary(short id, ReadOnlySpan<byte> value)
    {
        Field(id, BinaryType);
        output.AddVarint((ulong)value.Length);
        output.Add(value);
    }

    public void String(short id, string value) => Binary(id, Encoding.UTF8.GetBytes(value));

    /// <summary>A struct field: its fields follow, then <see cref="End"/>.</summary>
    public void Struct(short id)
    {
        Field(id, StructType);
        Begin();
    }

    /// <summary>A list of <paramref name="count"/> structs: each <see cref="Begin"/>, its fields, <see cref="End"/>.</summary>
    public void StructList(short id, int count) => List(id, StructType, count);

    /// <summary>A list of 32-bit integers (enum values).</summary>
    public void I32List(short id, IReadOnlyList<int> values)
    {
        List(id, I32Type, values.Count);
        foreach (var v in values)
        {
            output.AddVarint(ZigZag(v));
        }
    }

    public void StringList(short id, IReadOnlyList<string> values)
    {
        List(id, BinaryType, values.Count);
        foreach (var v in values)
        {
            var bytes = Encoding.UTF8.GetBytes(v);
            output.AddVarint((ulong)bytes.Length);
            output.Add(bytes);
        }
    }

    /// <summary>Starts a struct's fields (the top-level struct, or an element of a list).</summary>
    public void Begin()
    {
        outer.Push(last);
        last = 0;
    }

    public void End()
    {
        output.Add(0);
        last = outer.Pop();
    }

    private void List(short id, byte elementType, int count)
    {
        Field(id, ListType);
        if (count < 15)
        {
            output.Add((byte)(count << 4 | elementType));
        }
        else
        {
            output.Add((byte)(0xF0 | elementType));
            output.AddVarint((ulong)count);
        }
    }

    private void Field(short id, byte type)
    {
        if (id > last && id - last <= 15)
        {
            output.Add((byte)((id - last) << 4 | type));
        }
        else
        {
            output.Add(type);
            output.AddVarint(ZigZag(id));
        }

        last = id;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
