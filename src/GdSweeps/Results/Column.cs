using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>
/// One stored column: its name, Parquet type, meaning and what null means; the one place a column is declared.
/// </summary>
/// <remarks>Columns are matched by name and type, never by object: a column read from a file and the one that wrote it
/// are the same column.</remarks>
internal abstract class Column(string name, Type type, string meaning, string? nullMeans)
{
    public string Name { get; } = name;

    /// <summary>The stored type: string, int, long, double or bool, or a nullable one of the value types.</summary>
    public Type Type { get; } = type;

    /// <summary>What the column holds and its unit, as docs/results-schema.md says.</summary>
    public string Meaning { get; } = meaning;

    /// <summary>When the column is null; null for a column that never is.</summary>
    public string? NullMeans { get; } = nullMeans;

    public abstract DataField Field { get; }

    /// <summary>The type as the docs name it: string, int32, int64, double or boolean.</summary>
    public virtual string TypeName => (Nullable.GetUnderlyingType(Type) ?? Type) switch
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

    /// <summary>No values, in the type <see cref="ReadAsync"/> gives.</summary>
    internal abstract Array NoValues();
}

/// <summary>A column whose values are taken from rows of type <typeparamref name="TRow"/>.</summary>
internal abstract class RowColumn<TRow>(string name, Type type, string meaning, string? nullMeans) : Column(name, type, meaning, nullMeans)
{
    /// <summary>
    /// The column's values for <paramref name="rows"/>, as <see cref="Column.ReadAsync"/> would give them back: in
    /// <paramref name="reuse"/> when it is an array of their type and number, overwritten.
    /// </summary>
    internal abstract Array Build(IReadOnlyList<TRow> rows, Array? reuse = null);
}

/// <summary>
/// A column of rows of type <typeparamref name="TRow"/> holding values of type <typeparamref name="T"/>.
/// </summary>
internal abstract class Column<TRow, T>(string name, Func<TRow, T> get, string meaning, string? nullMeans) : RowColumn<TRow>(name, typeof(T), meaning, nullMeans)
{
    public T Get(TRow row) => get(row);

    internal override Array Build(IReadOnlyList<TRow> rows, Array? reuse = null)
    {
        var values = reuse is T[] spare && spare.Length == rows.Count ? spare : new T[rows.Count];
        if (rows is TRow[] array)
        {
            // An array's rows without an interface call each: the runs of a big sweep's parts.
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = get(array[i]);
            }
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = get(rows[i]);
            }
        }

        return values;
    }
}

/// <summary>Builds the columns of the value types the results use.</summary>
internal static class Columns
{
    /// <summary>
    /// The rows of docs/results-schema.md's table of <paramref name="columns"/>: name, type, meaning, what null means.
    /// </summary>
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

    /// <summary>
    /// A column whose value for a row is <c>values[index(row)]</c>: an axis's column, its stored value made once per
    /// value of the axis rather than once a run. <paramref name="values"/> is typed as the column is stored
    /// (<c>string?[]</c>, <c>int[]</c>, <c>double?[]</c>, ...).
    /// </summary>
    public static RowColumn<TRow> Indexed<TRow>(string name, Array values, Func<TRow, int> index, string meaning, string? nullMeans) => values switch
    {
        string?[] v => new TextColumn<TRow>(name, r => v[index(r)], meaning, nullMeans),
        int[] v => new ValueColumn<TRow, int>(name, r => v[index(r)], meaning),
        long[] v => new ValueColumn<TRow, long>(name, r => v[index(r)], meaning),
        double[] v => new ValueColumn<TRow, double>(name, r => v[index(r)], meaning),
        bool[] v => new ValueColumn<TRow, bool>(name, r => v[index(r)], meaning),
        int?[] v => new NullableColumn<TRow, int>(name, r => v[index(r)], meaning, nullMeans ?? "never"),
        long?[] v => new NullableColumn<TRow, long>(name, r => v[index(r)], meaning, nullMeans ?? "never"),
        double?[] v => new NullableColumn<TRow, double>(name, r => v[index(r)], meaning, nullMeans ?? "never"),
        bool?[] v => new NullableColumn<TRow, bool>(name, r => v[index(r)], meaning, nullMeans ?? "never"),
        _ => throw new ArgumentException($"column {name}: {values.GetType().Name} is not a stored type", nameof(values)),
    };

    /// <summary>
    /// A column of type <paramref name="type"/> whose value for a row is <paramref name="get"/>'s, boxed: for the few
    /// rows of a summary.
    /// </summary>
    public static RowColumn<TRow> Boxed<TRow>(string name, Type type, Func<TRow, object?> get, string meaning, string? nullMeans) => type switch
    {
        _ when type == typeof(string) => new TextColumn<TRow>(name, r => (string?)get(r), meaning, nullMeans),
        _ when type == typeof(int) => new ValueColumn<TRow, int>(name, r => (int)get(r)!, meaning),
        _ when type == typeof(long) => new ValueColumn<TRow, long>(name, r => (long)get(r)!, meaning),
        _ when type == typeof(double) => new ValueColumn<TRow, double>(name, r => (double)get(r)!, meaning),
        _ when type == typeof(bool) => new ValueColumn<TRow, bool>(name, r => (bool)get(r)!, meaning),
        _ when type == typeof(int?) => new NullableColumn<TRow, int>(name, r => (int?)get(r), meaning, nullMeans ?? "never"),
        _ when type == typeof(long?) => new NullableColumn<TRow, long>(name, r => (long?)get(r), meaning, nullMeans ?? "never"),
        _ when type == typeof(double?) => new NullableColumn<TRow, double>(name, r => (double?)get(r), meaning, nullMeans ?? "never"),
        _ when type == typeof(bool?) => new NullableColumn<TRow, bool>(name, r => (bool?)get(r), meaning, nullMeans ?? "never"),
        _ => throw new ArgumentException($"column {name}: {type.Name} is not a stored type", nameof(type)),
    };

    /// <summary>A column as a file stores it, to read and to copy: it computes no value of its own.</summary>
    /// <exception cref="InvalidDataException">The field's type is none GdSweeps writes.</exception>
    public static RowColumn<TRow> Read<TRow>(DataField field)
    {
        // Parquet.Net gives a text field's type as the memory it can read it into; GdSweeps reads text as strings.
        var type = field.ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : Nullable(field.ClrType, field.IsNullable);
        return IsStorable(type)
            ? Boxed<TRow>(field.Name, type, _ => throw new InvalidOperationException($"column {field.Name} was read from a file: it has no values to compute"), "", field.IsNullable ? "" : null)
            : throw new InvalidDataException($"column {field.Name} is stored as {field.ClrType.Name}{(field.IsNullable ? "?" : "")}, which GdSweeps never writes");
    }

    /// <summary>
    /// The stored type of values of <paramref name="type"/> that may be null (no reflection: the native build has none
    /// to spare).
    /// </summary>
    public static Type Nullable(Type type, bool nullable) => !nullable ? type : type switch
    {
        _ when type == typeof(int) => typeof(int?),
        _ when type == typeof(long) => typeof(long?),
        _ when type == typeof(double) => typeof(double?),
        _ when type == typeof(bool) => typeof(bool?),
        _ => type,
    };

    /// <summary>
    /// Whether <paramref name="type"/> is one the results store: string, int, long, double, bool, or a nullable one.
    /// </summary>
    public static bool IsStorable(Type type) =>
        (System.Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(string) || t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(bool));

    private sealed class TextColumn<TRow>(string name, Func<TRow, string?> get, string meaning, string? nullMeans)
        : Column<TRow, string?>(name, get, meaning, nullMeans)
    {
        private readonly DataField<string> dataField = new(name, nullMeans is not null);

        public override DataField Field => dataField;

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

        internal override Array NoValues() => Array.Empty<T?>();

        internal override async Task<Array> ReadAsync(ParquetRowGroupReader group, CancellationToken ct)
        {
            var values = new T?[group.RowCount];
            await group.ReadAsync<T>(dataField, values, cancellationToken: ct);
            return values;
        }
    }
}
