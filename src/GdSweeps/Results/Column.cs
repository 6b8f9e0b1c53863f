using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>One stored column: its name, Parquet type, meaning and what null means; the one place a column is declared.</summary>
public abstract class Column(string name, Type type, string meaning, string? nullMeans)
{
    public string Name { get; } = name;

    /// <summary>What the column holds and its unit, as docs/results-schema.md says.</summary>
    public string Meaning { get; } = meaning;

    /// <summary>When the column is null; null for a column that never is.</summary>
    public string? NullMeans { get; } = nullMeans;

    public abstract DataField Field { get; }

    /// <summary>The type as the docs name it: string, int32, int64, double or boolean.</summary>
    public virtual string TypeName => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "string",
        var t when t == typeof(int) => "int32",
        var t when t == typeof(long) => "int64",
        var t when t == typeof(double) => "double",
        var t when t == typeof(bool) => "boolean",
        var t => t.Name,
    };

    /// <summary>Reads this column of a row group.</summary>
    internal abstract Task<Array> ReadAsync(ParquetRowGroupReader group, CancellationToken ct);

    /// <summary>Writes <paramref name="count"/> values from <paramref name="start"/> of an array typed as <see cref="ReadAsync"/> gives them as this column of a row group (no copy).</summary>
    internal abstract Task WriteStoredAsync(ParquetRowGroupWriter group, Array values, int start, int count, CancellationToken ct);

    /// <summary>No values, in the type <see cref="ReadAsync"/> gives.</summary>
    internal abstract Array NoValues();
}

/// <summary>A column whose values are taken from rows of type <typeparamref name="TRow"/>.</summary>
public abstract class RowColumn<TRow>(string name, Type type, string meaning, string? nullMeans) : Column(name, type, meaning, nullMeans)
{
    internal abstract Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct);

    /// <summary>The column's values for <paramref name="rows"/>, as <see cref="Column.ReadAsync"/> would give them back.</summary>
    internal abstract Array Build(IReadOnlyList<TRow> rows);
}

/// <summary>A column of rows of type <typeparamref name="TRow"/> holding values of type <typeparamref name="T"/>.</summary>
public abstract class Column<TRow, T>(string name, Func<TRow, T> get, string meaning, string? nullMeans) : RowColumn<TRow>(name, typeof(T), meaning, nullMeans)
{
    public T Get(TRow row) => get(row);

    internal override Array Build(IReadOnlyList<TRow> rows) => Values(rows);

    internal T[] Values(IReadOnlyList<TRow> rows)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get(rows[i]);
        }

        return values;
    }
}

/// <summary>Builds the columns of the value types the results use.</summary>
public static class Columns
{
    /// <summary>The rows of docs/results-schema.md's table of <paramref name="columns"/>: name, type, meaning, what null means.</summary>
    public static IEnumerable<string> MarkdownRows(IEnumerable<Column> columns) =>
        columns.Select(c => $"| `{c.Name}` | {c.TypeName} | {c.Meaning} | {c.NullMeans ?? "never"} |");

    public static Column<TRow, string?> Text<TRow>(string name, Func<TRow, string> get, string meaning) =>
        new TextColumn<TRow>(name, get, meaning, null);

    public static Column<TRow, string?> OptionalText<TRow>(string name, Func<TRow, string?> get, string meaning, string nullMeans) =>
        new TextColumn<TRow>(name, get, meaning, nullMeans);

    public static Column<TRow, T> Value<TRow, T>(string name, Func<TRow, T> get, string meaning)
        where T : struct => new ValueColumn<TRow, T>(name, get, meaning);

    public static Column<TRow, T?> Optional<TRow, T>(string name, Func<TRow, T?> get, string meaning, string nullMeans)
        where T : struct => new NullableColumn<TRow, T>(name, get, meaning, nullMeans);

    private sealed class TextColumn<TRow>(string name, Func<TRow, string?> get, string meaning, string? nullMeans)
        : Column<TRow, string?>(name, get, meaning, nullMeans)
    {
        private readonly DataField<string> dataField = new(name, nullMeans is not null);

        public override DataField Field => dataField;

        internal override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct) =>
            group.WriteAsync(dataField, Values(rows)!);

        internal override Task WriteStoredAsync(ParquetRowGroupWriter group, Array values, int start, int count, CancellationToken ct) =>
            group.WriteAsync(dataField, new ArraySegment<string>((string[])values, start, count));

        internal override Array NoValues() => Array.Empty<string>();

        internal override async Task<Array> ReadAsync(ParquetRowGroupReader group, CancellationToken ct)
        {
            var values = new string[group.RowCount];
            await group.ReadAsync(dataField, values, cancellationToken: ct);
            return values;
        }
    }

    private sealed class ValueColumn<TRow, T>(string name, Func<TRow, T> get, string meaning) : Column<TRow, T>(name, get, meaning, null)
        where T : struct
    {
        private readonly DataField<T> dataField = new(name);

        public override DataField Field => dataField;

        internal override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct) =>
            group.WriteAsync<T>(dataField, Values(rows), cancellationToken: ct);

        internal override Task WriteStoredAsync(ParquetRowGroupWriter group, Array values, int start, int count, CancellationToken ct) =>
            group.WriteAsync<T>(dataField, new ReadOnlyMemory<T>((T[])values, start, count), cancellationToken: ct);

        internal override Array NoValues() => Array.Empty<T>();

        internal override async Task<Array> ReadAsync(ParquetRowGroupReader group, CancellationToken ct)
        {
            var values = new T[group.RowCount];
            await group.ReadAsync<T>(dataField, values, cancellationToken: ct);
            return values;
        }
    }

    private sealed class NullableColumn<TRow, T>(string name, Func<TRow, T?> get, string meaning, string nullMeans) : Column<TRow, T?>(name, get, meaning, nullMeans)
        where T : struct
    {
        private readonly DataField<T?> dataField = new(name);

        public override DataField Field => dataField;

        internal override Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<TRow> rows, CancellationToken ct) =>
            group.WriteAsync<T>(dataField, Values(rows), cancellationToken: ct);

        internal override Task WriteStoredAsync(ParquetRowGroupWriter group, Array values, int start, int count, CancellationToken ct) =>
            group.WriteAsync<T>(dataField, new ReadOnlyMemory<T?>((T?[])values, start, count), cancellationToken: ct);

        internal override Array NoValues() => Array.Empty<T?>();

        internal override async Task<Array> ReadAsync(ParquetRowGroupReader group, CancellationToken ct)
        {
            var values = new T?[group.RowCount];
            await group.ReadAsync<T>(dataField, values, cancellationToken: ct);
            return values;
        }
    }
}
