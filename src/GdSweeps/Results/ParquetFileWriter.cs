using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Snappier;

namespace GdSweeps.Results;

/// <summary>
/// Writes a Parquet file of flat columns (string, int32, int64, double, boolean, each required or optional), as the
/// results tables are: one data page per column of a row group, Snappy-compressed; a column whose values change
/// seldom from row to row (a group's settings, a curve's run) dictionary-encoded, a curve's doubles split into byte
/// streams, the rest plain; int32 and int64 columns with their range in the statistics (readers skip row groups by it).
/// </summary>
/// <remarks>
/// GdSweeps' own writer, not Parquet.Net's: the million-run sweep writes 30 million curve rows and 70 columns a run,
/// and Parquet.Net's per-value costs (a boxed nullable, an array per string's length, statistics of every column)
/// were a third of its time. Parquet.Net still reads every file, and DuckDB, Polars and pandas read them as they are
/// (ParquetFileWriterTests).
/// </remarks>
internal sealed class ParquetFileWriter(Stream stream, IReadOnlyList<Column> columns, IReadOnlyDictionary<string, string> metadata) : IDisposable
{
    /// <summary>The doubles stored as byte streams: a curve's, whose sign and exponent change slowly along it.</summary>
    public static IReadOnlySet<string> SplitColumns { get; } = new HashSet<string>(StringComparer.Ordinal) { "loss", "gradient", "gradient_norm", "w" };

    private const int Boolean = 0, Int32 = 1, Int64 = 2, Double = 5, ByteArray = 6;
    private const int Plain = 0, Rle = 3, RleDictionary = 8, ByteStreamSplit = 9;
    private const int DataPage = 0, DictionaryPage = 2, SnappyCodec = 1;

    private readonly ByteBuffer page = new(), compressed = new(), header = new();
    private readonly List<(long Start, long Rows, long Bytes, long Compressed, List<ColumnChunk> Columns)> groups = [];
    private long position;

    // Scratch reused column after column: where a column's values change, and its dictionary's entries by type.
    private readonly List<int> starts = [];
    private readonly Dictionary<Type, object> lookups = [];

    private sealed record ColumnChunk(int Type, long Start, long DataPage, long? DictionaryPage, int Encoding, long Values, long Bytes, long Compressed, (long Min, long Max)? Range, long Nulls);

    /// <summary>
    /// Writes <paramref name="count"/> rows from <paramref name="start"/> of <paramref name="values"/> (one array a
    /// column, in the columns' order, typed as the column is stored) as one row group.
    /// </summary>
    public void WriteRowGroup(IReadOnlyList<Array> values, int start, int count)
    {
        if (position == 0)
        {
            Write("PAR1"u8);
        }

        var first = position;
        var chunks = new List<ColumnChunk>(columns.Count);
        for (var c = 0; c < columns.Count; c++)
        {
            chunks.Add(WriteColumn(columns[c], values[c], start, count));
        }

        groups.Add((first, count, chunks.Sum(c => c.Bytes), chunks.Sum(c => c.Compressed), chunks));
    }

    /// <summary>Writes the footer: the schema, the row groups' places and statistics, the key-value metadata.</summary>
    public void Finish()
    {
        if (position == 0)
        {
            Write("PAR1"u8);
        }

        header.Clear();
        var t = new ThriftWriter(header);
        t.Begin();
        t.I32(1, 1);
        t.StructList(2, columns.Count + 1);
        t.Begin();
        t.String(4, "schema");
        t.I32(5, columns.Count);
        t.End();
        foreach (var column in columns)
        {
            t.Begin();
            t.I32(1, TypeOf(column));
            t.I32(3, column.Field.IsNullable ? 1 : 0);
            t.String(4, column.Name);
            if (TypeOf(column) == ByteArray)
            {
                t.I32(6, 0); // UTF8
                t.Struct(10);
                t.Struct(1); // the STRING logical type
                t.End();
                t.End();
            }

            t.End();
        }

        t.I64(3, groups.Sum(g => g.Rows));
        t.StructList(4, groups.Count);
        foreach (var (start, rows, bytes, compressedBytes, chunks) in groups)
        {
            t.Begin();
            t.StructList(1, chunks.Count);
            for (var c = 0; c < chunks.Count; c++)
            {
                WriteChunkMetadata(t, columns[c].Name, chunks[c]);
            }

            t.I64(2, bytes);
            t.I64(3, rows);
            t.I64(5, start);
            t.I64(6, compressedBytes);
            t.End();
        }

        if (metadata.Count > 0)
        {
            t.StructList(5, metadata.Count);
            foreach (var (key, value) in metadata)
            {
                t.Begin();
                t.String(1, key);
                t.String(2, value);
                t.End();
            }
        }

        t.String(6, "GdSweeps");
        t.End();
        Write(header.Span);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, header.Length);
        Write(length);
        Write("PAR1"u8);
    }

    private static void WriteChunkMetadata(ThriftWriter t, string name, ColumnChunk chunk)
    {
        t.Begin();
        t.I64(2, chunk.DictionaryPage ?? chunk.DataPage);
        t.Struct(3);
        t.I32(1, chunk.Type);
        t.I32List(2, chunk.DictionaryPage is null ? [chunk.Encoding, Rle] : [Plain, Rle, chunk.Encoding]);
        t.StringList(3, [name]);
        t.I32(4, SnappyCodec);
        t.I64(5, chunk.Values);
        t.I64(6, chunk.Bytes);
        t.I64(7, chunk.Compressed);
        t.I64(9, chunk.DataPage);
        if (chunk.DictionaryPage is { } dictionary)
        {
            t.I64(11, dictionary);
        }

        t.Struct(12);
        Range(1, 2); // the deprecated max and min, which some readers still take
        t.I64(3, chunk.Nulls);
        Range(5, 6);
        t.End();
        t.End();
        t.End();

        // An int column's range, little-endian in the column's width, under the given field ids.
        void Range(short maxId, short minId)
        {
            if (chunk.Range is var (min, max))
            {
                Span<byte> bytes = stackalloc byte[8];
                var width = chunk.Type == Int32 ? 4 : 8;
                BinaryPrimitives.WriteInt64LittleEndian(bytes, max);
                t.Binary(maxId, bytes[..width]);
                BinaryPrimitives.WriteInt64LittleEndian(bytes, min);
                t.Binary(minId, bytes[..width]);
            }
        }
    }

    private static int TypeOf(Column column) => (Nullable.GetUnderlyingType(column.Type) ?? column.Type) switch
    {
        var t when t == typeof(string) => ByteArray,
        var t when t == typeof(int) => Int32,
        var t when t == typeof(long) => Int64,
        var t when t == typeof(double) => Double,
        var t when t == typeof(bool) => Boolean,
        var t => throw new ArgumentException($"column {column.Name}: {t.Name} is not a stored type"),
    };

    private ColumnChunk WriteColumn(Column column, Array values, int start, int count)
    {
        var split = SplitColumns.Contains(column.Name);
        (chunkBytes, chunkCompressed, optional) = (0, 0, column.Field.IsNullable);
        return values switch
        {
            string?[] v => Strings(column, v.AsSpan(start, count)),
            int[] v => Numbers<int>(column, Int32, v.AsSpan(start, count), [], count, false),
            long[] v => Numbers<long>(column, Int64, v.AsSpan(start, count), [], count, false),
            double[] v => Numbers<double>(column, Double, v.AsSpan(start, count), [], count, split),
            bool[] v => Booleans(column, v.AsSpan(start, count), [], count),
            int?[] v => Optional(column, Int32, v.AsSpan(start, count), false),
            long?[] v => Optional(column, Int64, v.AsSpan(start, count), false),
            double?[] v => Optional(column, Double, v.AsSpan(start, count), split),
            bool?[] v => Optional(column, Boolean, v.AsSpan(start, count), false),
            _ => throw new ArgumentException($"column {column.Name}: {values.GetType().Name} is not a stored type"),
        };
    }

    /// <summary>An optional column: its definition levels (1 where there is a value) and its values without the nulls.</summary>
    private ColumnChunk Optional<T>(Column column, int type, ReadOnlySpan<T?> values, bool split)
        where T : unmanaged, IEquatable<T>
    {
        var levels = ArrayPool<int>.Shared.Rent(values.Length);
        var dense = ArrayPool<T>.Shared.Rent(values.Length);
        try
        {
            var n = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } v)
                {
                    dense[n++] = v;
                    levels[i] = 1;
                }
                else
                {
                    levels[i] = 0;
                }
            }

            var present = dense.AsSpan(0, n);
            var defined = levels.AsSpan(0, values.Length);
            return type == Boolean
                ? Booleans(column, MemoryMarshal.Cast<T, bool>(present), defined, values.Length)
                : Numbers<T>(column, type, present, defined, values.Length, split);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(levels);
            ArrayPool<T>.Shared.Return(dense);
        }
    }

    private ColumnChunk Numbers<T>(Column column, int type, ReadOnlySpan<T> values, ReadOnlySpan<int> levels, int count, bool split)
        where T : unmanaged, IEquatable<T>
    {
        (long, long)? range = null;
        if (values.Length > 0 && type is Int32 or Int64)
        {
            long min = long.MaxValue, max = long.MinValue;
            foreach (var v in values)
            {
                var x = typeof(T) == typeof(int) ? Unsafe.As<T, int>(ref Unsafe.AsRef(in v)) : Unsafe.As<T, long>(ref Unsafe.AsRef(in v));
                (min, max) = (Math.Min(min, x), Math.Max(max, x));
            }

            range = (min, max);
        }

        var nulls = count - values.Length;
        var start = position;
        if (split)
        {
            StartPage(levels);
            PageEncoding.ByteStreamSplit(MemoryMarshal.Cast<T, double>(values), page);
            var dataPage = WritePage(DataPage, count, ByteStreamSplit);
            return new(type, start, dataPage, null, ByteStreamSplit, count, chunkBytes, chunkCompressed, range, nulls);
        }

        // Doubles are matched by their bits: 0 and -0 (and NaNs of different payloads) stay apart.
        if (type == Double)
        {
            var bits = MemoryMarshal.Cast<T, long>(values);
            return Dictionary(bits, Changes(bits), type, start, levels, count, range, nulls, (v, o) => PageEncoding.Plain(v, o));
        }

        return Dictionary(values, Changes(values), type, start, levels, count, range, nulls, (v, o) => PageEncoding.Plain(v, o));
    }

    private ColumnChunk Strings(Column column, ReadOnlySpan<string?> values)
    {
        if (!column.Field.IsNullable)
        {
            foreach (var v in values)
            {
                _ = v ?? throw new InvalidOperationException($"column {column.Name} is never null, but a row's value is");
            }

            var present = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<string?, string>(ref MemoryMarshal.GetReference(values)), values.Length);
            return Dictionary(present, Changes(present), ByteArray, position, [], values.Length, null, 0, (v, o) => PageEncoding.Plain(v, o));
        }

        var levels = ArrayPool<int>.Shared.Rent(values.Length);
        var dense = ArrayPool<string>.Shared.Rent(values.Length);
        try
        {
            var n = 0;
            for (var i = 0; i < values.Length; i++)
            {
                levels[i] = values[i] is null ? 0 : 1;
                if (values[i] is { } v)
                {
                    dense[n++] = v;
                }
            }

            var present = dense.AsSpan(0, n);
            return Dictionary<string>(present, Changes(present), ByteArray, position, levels.AsSpan(0, values.Length), values.Length, null, values.Length - n,
                (v, o) => PageEncoding.Plain(v, o));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(levels);
            ArrayPool<string>.Shared.Return(dense, clearArray: true);
        }
    }

    private delegate void PlainEncoder<T>(ReadOnlySpan<T> values, ByteBuffer output);

    /// <summary>
    /// Where values differ from the row before (the first row always does): null when that is more often than every
    /// 8th row, which a dictionary would not pay for.
    /// </summary>
    private List<int>? Changes<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IEquatable<T>
    {
        starts.Clear();
        starts.Add(0);
        for (var i = 1; i < values.Length; i++)
        {
            if (!values[i].Equals(values[i - 1]))
            {
                starts.Add(i);
                if (starts.Count > values.Length / 8)
                {
                    return null;
                }
            }
        }

        return values.Length == 0 ? null : starts;
    }

    /// <summary>The same for strings, compared by their characters (a string shared by rows by reference first).</summary>
    private List<int>? Changes(ReadOnlySpan<string> values)
    {
        starts.Clear();
        starts.Add(0);
        for (var i = 1; i < values.Length; i++)
        {
            if (!string.Equals(values[i], values[i - 1], StringComparison.Ordinal))
            {
                starts.Add(i);
                if (starts.Count > values.Length / 8)
                {
                    return null;
                }
            }
        }

        return values.Length == 0 ? null : starts;
    }

    /// <summary>
    /// Dictionary-encodes values that change at most every 8th row (<paramref name="starts"/>, the rows where they
    /// do: a dictionary page, then the indices); others are written plain.
    /// </summary>
    private ColumnChunk Dictionary<T>(
        ReadOnlySpan<T> values, List<int>? starts, int type, long start, ReadOnlySpan<int> levels, int count, (long, long)? range, long nulls, PlainEncoder<T> plain)
        where T : notnull
    {
        if (starts is null)
        {
            StartPage(levels);
            plain(values, page);
            var plainPage = WritePage(DataPage, count, Plain);
            return new(type, start, plainPage, null, Plain, count, chunkBytes, chunkCompressed, range, nulls);
        }

        var indices = ArrayPool<int>.Shared.Rent(values.Length);
        var entries = new List<T>();
        try
        {
            var lookup = Lookup<T>();
            for (var k = 0; k < starts.Count; k++)
            {
                var value = values[starts[k]];
                if (!lookup.TryGetValue(value, out var index))
                {
                    lookup[value] = index = entries.Count;
                    entries.Add(value);
                }

                indices.AsSpan(starts[k], (k + 1 < starts.Count ? starts[k + 1] : values.Length) - starts[k]).Fill(index);
            }

            page.Clear();
            plain(CollectionsMarshal.AsSpan(entries), page);
            var dictionaryPage = WritePage(DictionaryPage, entries.Count, Plain);
            StartPage(levels);
            var width = PageEncoding.BitWidth(entries.Count - 1);
            page.Add((byte)width);
            PageEncoding.Hybrid(indices.AsSpan(0, values.Length), width, page);
            var dataPage = WritePage(DataPage, count, RleDictionary);
            return new(type, start, dataPage, dictionaryPage, RleDictionary, count, chunkBytes, chunkCompressed, range, nulls);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(indices);
        }
    }

    /// <summary>The writer's map of dictionary entries of type <typeparamref name="T"/>, emptied.</summary>
    private Dictionary<T, int> Lookup<T>()
        where T : notnull
    {
        if (lookups.TryGetValue(typeof(T), out var held))
        {
            var lookup = (Dictionary<T, int>)held;
            lookup.Clear();
            return lookup;
        }

        var made = new Dictionary<T, int>();
        lookups[typeof(T)] = made;
        return made;
    }

    private ColumnChunk Booleans(Column column, ReadOnlySpan<bool> values, ReadOnlySpan<int> levels, int count)
    {
        var start = position;
        StartPage(levels);
        PageEncoding.Plain(values, page);
        var dataPage = WritePage(DataPage, count, Plain);
        return new(Boolean, start, dataPage, null, Plain, count, chunkBytes, chunkCompressed, null, count - values.Length);
    }

    // The bytes of the column chunk written so far: its pages' headers and data, before and after compression.
    private long chunkBytes, chunkCompressed;

    // Whether the column being written is optional: its data pages then start with definition levels.
    private bool optional;

    /// <summary>Starts a data page: an optional column's definition levels first, after their length.</summary>
    private void StartPage(ReadOnlySpan<int> levels)
    {
        page.Clear();
        if (optional)
        {
            page.AddInt32(0);
            PageEncoding.Hybrid(levels, 1, page);
            page.SetInt32(0, page.Length - 4);
        }
    }

    /// <summary>Compresses the page built in <c>page</c> and writes it after its header; returns where it starts.</summary>
    private long WritePage(int pageType, int values, int encoding)
    {
        compressed.Clear();
        var written = Snappy.Compress(page.Span, compressed.Reserve(Snappy.GetMaxCompressedLength(page.Length)));
        compressed.Advance(written);

        header.Clear();
        var t = new ThriftWriter(header);
        t.Begin();
        t.I32(1, pageType);
        t.I32(2, page.Length);
        t.I32(3, compressed.Length);
        t.Struct(pageType == DataPage ? (short)5 : (short)7);
        t.I32(1, values);
        t.I32(2, encoding);
        if (pageType == DataPage)
        {
            t.I32(3, Rle);
            t.I32(4, Rle);
        }

        t.End();
        t.End();

        var at = position;
        chunkBytes += header.Length + page.Length;
        chunkCompressed += header.Length + compressed.Length;
        Write(header.Span);
        Write(compressed.Span);
        return at;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        position += bytes.Length;
    }

    public void Dispose()
    {
        page.Dispose();
        compressed.Dispose();
        header.Dispose();
    }
}
