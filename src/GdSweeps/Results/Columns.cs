using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>One Parquet column of a row type: its field, and how its values are taken from and put into rows.</summary>
internal interface IColumn<TRow>
{
    DataField Field { get; }

    Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct);

    Task ReadAsync(ParquetRowGroupReader group, TRow[] rows, CancellationToken ct);
}

/// <summary>Column descriptors for the value types the results use; a table is a list of these in schema order.</summary>
internal static class Column
{
    public static IColumn<TRow> Of<TRow>(string name, Func<TRow, string> get, Action<TRow, string> set) => new TextColumn<TRow>(name, false, r => get(r), (r, v) => set(r, v!));

    public static IColumn<TRow> Of<TRow>(string name, Func<TRow, string?> get, Action<TRow, string?> set, bool nullable) => new TextColumn<TRow>(name, nullable, get, set);

    public static IColumn<TRow> Of<TRow, T>(string name, Func<TRow, T> get, Action<TRow, T> set)
        where T : struct => new ValueColumn<TRow, T>(name, get, set);

    public static IColumn<TRow> Of<TRow, T>(string name, Func<TRow, T?> get, Action<TRow, T?> set)
        where T : struct => new NullableColumn<TRow, T>(name, get, set);

    public static T[] Select<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> select)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(rows[i]);
        }

        return values;
    }

    private sealed class TextColumn<TRow>(string name, bool nullable, Func<TRow, string?> get, Action<TRow, string?> set) : IColumn<TRow>
    {
        private readonly DataField<string> dataField = new(name, nullable);

        public DataField Field => dataField;

        public Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct) =>
            group.WriteAsync(dataField, Select(rows, get)!);

        public async Task ReadAsync(ParquetRowGroupReader group, TRow[] rows, CancellationToken ct)
        {
            var values = new string[rows.Length];
            await group.ReadAsync(dataField, values, cancellationToken: ct);
            for (var i = 0; i < rows.Length; i++)
            {
                set(rows[i], values[i]);
            }
        }
    }

    private sealed class ValueColumn<TRow, T>(string name, Func<TRow, T> get, Action<TRow, T> set) : IColumn<TRow>
        where T : struct
    {
        private readonly DataField<T> dataField = new(name);

        public DataField Field => dataField;

        public Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct) =>
            group.WriteAsync<T>(dataField, Select(rows, get), cancellationToken: ct);

        public async Task ReadAsync(ParquetRowGroupReader group, TRow[] rows, CancellationToken ct)
        {
            var values = new T[rows.Length];
            await group.ReadAsync<T>(dataField, values, cancellationToken: ct);
            for (var i = 0; i < rows.Length; i++)
            {
                set(rows[i], values[i]);
            }
        }
    }

    private sealed class NullableColumn<TRow, T>(string name, Func<TRow, T?> get, Action<TRow, T?> set) : IColumn<TRow>
        where T : struct
    {
        private readonly DataField<T?> dataField = new(name);

        public DataField Field => dataField;

        public Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct) =>
            group.WriteAsync<T>(dataField, Select(rows, get), cancellationToken: ct);

        public async Task ReadAsync(ParquetRowGroupReader group, TRow[] rows, CancellationToken ct)
        {
            var values = new T?[rows.Length];
            await group.ReadAsync<T>(dataField, values, cancellationToken: ct);
            for (var i = 0; i < rows.Length; i++)
            {
                set(rows[i], values[i]);
            }
        }
    }
}

/// <summary>A Parquet table of rows of one type: its schema, and whole row groups written and read.</summary>
internal sealed class Table<TRow>(IReadOnlyList<IColumn<TRow>> columns)
    where TRow : new()
{
    public ParquetSchema Schema { get; } = new(columns.Select(c => (Field)c.Field).ToArray());

    public IReadOnlyList<IColumn<TRow>> Columns => columns;

    /// <summary>Writes <paramref name="rows"/> as one row group, columns in schema order as Parquet.Net requires.</summary>
    public async Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<TRow> rows, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        foreach (var column in columns)
        {
            await column.WriteAsync(group, rows, ct);
        }
    }

    /// <summary>Hands the rows of each row group to <paramref name="onRows"/> in file order, holding one row group at a time.</summary>
    public async Task ForEachRowGroupAsync(string path, Action<TRow[]> onRows, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, ParquetSettings.Options, cancellationToken: ct);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var batch = new TRow[checked((int)group.RowCount)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = new TRow();
            }

            foreach (var column in columns)
            {
                await column.ReadAsync(group, batch, ct);
            }

            onRows(batch);
        }
    }

    /// <summary>Every row of the file at <paramref name="path"/>, in file order.</summary>
    public async Task<List<TRow>> ReadAsync(string path, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, ParquetSettings.Options, cancellationToken: ct);
        var rows = new List<TRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var batch = new TRow[checked((int)group.RowCount)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = new TRow();
            }

            foreach (var column in columns)
            {
                await column.ReadAsync(group, batch, ct);
            }

            rows.AddRange(batch);
        }

        return rows;
    }
}
