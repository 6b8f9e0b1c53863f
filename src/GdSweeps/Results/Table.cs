using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>
/// A Parquet table of rows of one type: its columns in schema order, whole row groups written, row groups read as typed
/// columns.
/// </summary>
/// <param name="metadata">Key-value metadata every file of the table carries (what its columns mean beyond their
/// types).</param>
internal sealed class Table<TRow>(IReadOnlyList<RowColumn<TRow>> columns, IReadOnlyDictionary<string, string>? metadata = null)
{
    public ParquetSchema Schema { get; } = new(columns.Select(c => (Field)c.Field).ToArray());

    public IReadOnlyList<RowColumn<TRow>> Columns => columns;

    /// <summary>The key-value metadata each file of the table is written with.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata ?? new Dictionary<string, string>();

    /// <summary>The column named <paramref name="name"/>; null when the table has none.</summary>
    public RowColumn<TRow>? Find(string name) => columns.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// Writes a whole file of <paramref name="rows"/>, one row group at most <paramref name="rowGroup"/> rows.
    /// </summary>
    public Task WriteAsync(Stream stream, IReadOnlyList<TRow> rows, CancellationToken ct, int rowGroup = int.MaxValue) =>
        WriteAsync(stream, ToChunk(rows), ct, rowGroup);

    /// <summary>
    /// The rows as a chunk of every column, as if read back from a file; in the arrays of <paramref name="reuse"/>
    /// (a chunk no longer read) where they fit.
    /// </summary>
    public Chunk<TRow> ToChunk(IReadOnlyList<TRow> rows, Chunk<TRow>? reuse = null)
    {
        var chunk = new Chunk<TRow>(rows.Count);
        foreach (var column in columns)
        {
            chunk.Set(column, column.Build(rows, reuse?.Find(column.Name)));
        }

        return chunk;
    }

    /// <summary>Writes a whole file of one chunk (row groups of at most <paramref name="rowGroup"/> rows).</summary>
    public Task WriteAsync(Stream stream, Chunk<TRow> chunk, CancellationToken ct, int rowGroup = int.MaxValue)
    {
        ct.ThrowIfCancellationRequested();
        using var writer = CreateWriter(stream);
        var values = columns.Select(c => chunk.Count == 0 ? c.NoValues() : chunk.Stored(c)).ToList();
        for (var start = 0; start == 0 || start < chunk.Count; start += rowGroup)
        {
            writer.WriteRowGroup(values, start, Math.Min(rowGroup, chunk.Count - start));
        }

        writer.Finish();
        return Task.CompletedTask;
    }

    /// <summary>A new writer of this table's files on <paramref name="stream"/>, with its metadata.</summary>
    public ParquetFileWriter CreateWriter(Stream stream) => new(stream, columns, Metadata);

    /// <summary>
    /// Hands each row group of the file to <paramref name="onChunk"/> in file order, reading only the columns named
    /// <paramref name="wanted"/> (every column when null).
    /// </summary>
    /// <param name="read">Whether to read a row group at all (from its statistics); an empty chunk stands for one
    /// skipped.</param>
    public async Task ForEachRowGroupAsync(
        Stream stream, Func<Chunk<TRow>, Task> onChunk, IReadOnlyCollection<string>? wanted, CancellationToken ct, Func<ParquetRowGroupReader, bool>? readGroup = null)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, ParquetSettings.Options, leaveStreamOpen: true, cancellationToken: ct);
        var read = columns.Where(c => wanted?.Contains(c.Name) ?? true).ToList();
        try
        {
            CheckSchema(reader.Schema, read);
        }
        catch (InvalidDataException e) when (stream is FileStream file)
        {
            throw Named(file.Name, e);
        }

        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            if (readGroup is not null && !readGroup(group))
            {
                await onChunk(new Chunk<TRow>(0));
                continue;
            }

            var chunk = new Chunk<TRow>(checked((int)group.RowCount));
            foreach (var column in read)
            {
                chunk.Set(column, await column.ReadAsync(group, ct));
            }

            await onChunk(chunk);
        }
    }

    /// <summary>Checks that the file at <paramref name="path"/> holds this table's columns (see <see cref="CheckSchema"/>).</summary>
    public async Task CheckFileAsync(string path, CancellationToken ct)
    {
        await using var stream = StoredFiles.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, ParquetSettings.Options, cancellationToken: ct);
        try
        {
            CheckSchema(reader.Schema, columns);
        }
        catch (InvalidDataException e)
        {
            throw Named(path, e);
        }
    }

    /// <summary>The error about the file at <paramref name="path"/>, named as in its folder.</summary>
    private static InvalidDataException Named(string path, InvalidDataException e) => new($"{NameOf(path)}: {e.Message}", e);

    /// <summary>A stored file's name as in its results folder: its folder and name (<c>runs/part-N.parquet</c>).</summary>
    public static string NameOf(string path) => $"{Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileName(path)}";

    /// <summary>
    /// Whether a file holds <paramref name="expected"/> as this table writes them (by name, type and nullability): a
    /// file written with other columns (another version, another sweep, a file put in its place) is an
    /// <see cref="InvalidDataException"/> saying which column differs, never a wrong value or an index error.
    /// </summary>
    private static void CheckSchema(ParquetSchema schema, IEnumerable<RowColumn<TRow>> expected)
    {
        var stored = schema.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var column in expected)
        {
            var want = (DataField)column.Field;
            if (!stored.TryGetValue(column.Name, out var field))
            {
                throw new InvalidDataException($"written with other columns: no column '{column.Name}'");
            }

            if (field.ClrType != want.ClrType || field.IsNullable != want.IsNullable || field.IsArray != want.IsArray)
            {
                throw new InvalidDataException(
                    $"written with other columns: '{column.Name}' is {Describe(field)}, not {Describe(want)}");
            }
        }

        static string Describe(DataField f) => (f.IsNullable ? "nullable " : "") + f.ClrType switch
        {
            var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => "string",
            var t when t == typeof(int) => "int32",
            var t when t == typeof(long) => "int64",
            var t when t == typeof(double) => "double",
            var t when t == typeof(bool) => "boolean",
            var t when t == typeof(byte[]) || t == typeof(ReadOnlyMemory<byte>) => "bytes",
            var t => t.Name,
        } + (f.IsArray ? " list" : "");
    }

    /// <summary>Every row group of the file at <paramref name="path"/>, read whole.</summary>
    public async Task<List<Chunk<TRow>>> ReadAsync(string path, IReadOnlyCollection<string>? wanted = null, CancellationToken ct = default)
    {
        var chunks = new List<Chunk<TRow>>();
        await using var stream = StoredFiles.OpenRead(path);
        await ForEachRowGroupAsync(stream, c =>
        {
            chunks.Add(c);
            return Task.CompletedTask;
        }, wanted, ct);
        return chunks;
    }

}

/// <summary>
/// One row group as read: the columns asked for, by name, each as a typed array of <see cref="Count"/> values.
/// </summary>
internal sealed class Chunk<TRow>(int count)
{
    private readonly Dictionary<string, Array> columns = [];

    public int Count { get; } = count;

    public T[] Get<T>(Column<TRow, T> column) => Get<T>(column.Name);

    /// <summary>
    /// The column named <paramref name="name"/>, as type <typeparamref name="T"/> (string?, int, int?, long, double,
    /// double? or bool).
    /// </summary>
    /// <exception cref="InvalidDataException">The column is stored as another type: the file is not one this sweep
    /// wrote.</exception>
    public T[] Get<T>(string name) => Stored(name) as T[]
        ?? throw new InvalidDataException($"column {name} is stored as {Stored(name).GetType().GetElementType()!.Name}, not {typeof(T).Name}: the file was written for another sweep or by another version");

    /// <summary>Whether the chunk holds the column named <paramref name="name"/>.</summary>
    public bool Has(string name) => columns.ContainsKey(name);

    internal Array Stored(Column column) => Stored(column.Name);

    /// <summary>The column named <paramref name="name"/>; null when the chunk does not hold it.</summary>
    internal Array? Find(string name) => columns.GetValueOrDefault(name);

    internal Array Stored(string name) =>
        columns.TryGetValue(name, out var values) ? values : throw new InvalidDataException($"column {name} was not read: the file has no such column");

    internal void Set(Column column, Array values) => columns[column.Name] = values;

    /// <summary>A new chunk of the given rows of other chunks, in order: every column those chunks hold.</summary>
    /// <remarks>Consecutive rows of one chunk are copied as one range.</remarks>
    internal static Chunk<TRow> Gather(IReadOnlyList<(Chunk<TRow> Chunk, int Row)> rows)
    {
        var result = new Chunk<TRow>(rows.Count);
        if (rows.Count == 0)
        {
            return result;
        }

        foreach (var (column, first) in rows[0].Chunk.columns)
        {
            var target = Array.CreateInstance(first.GetType().GetElementType()!, rows.Count);
            for (var i = 0; i < rows.Count;)
            {
                var (source, start) = rows[i];
                var length = 1;
                while (i + length < rows.Count && rows[i + length].Chunk == source && rows[i + length].Row == start + length)
                {
                    length++;
                }

                Array.Copy(source.columns[column], start, target, i, length);
                i += length;
            }

            result.columns[column] = target;
        }

        return result;
    }
}

/// <summary>Tables read back from files.</summary>
internal static class Tables
{
    /// <summary>The table a file holds: its columns as stored, to read and copy, and its metadata.</summary>
    /// <exception cref="InvalidDataException">The file stores a column of a type GdSweeps never writes.</exception>
    public static async Task<Table<TRow>> OfFileAsync<TRow>(string path, CancellationToken ct)
    {
        await using var stream = StoredFiles.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, ParquetSettings.Options, cancellationToken: ct);
        return new Table<TRow>([.. reader.Schema.GetDataFields().Select(Columns.Read<TRow>)], reader.CustomMetadata);
    }
}
