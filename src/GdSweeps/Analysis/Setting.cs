using System.Globalization;
using GdSweeps.Configs;
using GdSweeps.Results;

namespace GdSweeps.Analysis;

/// <summary>
/// Everything a group of runs shares, as stored: its value on every axis but the learning rate and seed, as the
/// sweep's <see cref="SettingSchema"/> names them. The same record in summaries, transfer rows, comparisons and report
/// labels; equal when the axes and every stored value are.
/// </summary>
internal sealed class Setting : IEquatable<Setting>
{
    private readonly object?[] values;

    /// <param name="values">One value per column of <paramref name="schema"/>, as stored (null where the column
    /// is).</param>
    public Setting(SettingSchema schema, object?[] values)
    {
        if (values.Length != schema.Columns.Count)
        {
            throw new ArgumentException($"a setting of {schema.Columns.Count} columns was given {values.Length} values", nameof(values));
        }

        Schema = schema;
        this.values = values;
    }

    public SettingSchema Schema { get; }

    /// <summary>The setting's axes in grid order, each as its name and how its value reads in a table cell.</summary>
    /// <remarks>Made each time it is read, never kept: a sweep of ten thousand groups holds their settings, not their
    /// text (the report reads every setting's cells to find the axes that vary).</remarks>
    public IReadOnlyList<(string Axis, string Value)> Values => [.. Schema.Axes.Select(a => (a.Axis, Text(values[Schema.IndexOf(a.Label)])))];

    /// <summary>The dataset's name; empty when the setting spans datasets (<see cref="WithoutDataset"/>).</summary>
    public string Dataset => Cell("datasets") ?? "";

    /// <summary>
    /// How axis <paramref name="axis"/>'s value reads in a table cell; null when the setting has no such axis.
    /// </summary>
    public string? Cell(string axis)
    {
        foreach (var a in Schema.Axes)
        {
            if (a.Axis == axis)
            {
                return Text(values[Schema.IndexOf(a.Label)]);
            }
        }

        return null;
    }

    /// <summary>
    /// The stored value of setting column <paramref name="column"/> (null when null, or when the setting has no such
    /// column).
    /// </summary>
    public object? this[string column] => Schema.IndexOf(column) is >= 0 and var i ? values[i] : null;

    /// <summary>The same setting without <paramref name="axis"/>: what runs across that axis's values share.</summary>
    public Setting Without(string axis)
    {
        var schema = Schema.Without(axis);
        return ReferenceEquals(schema, Schema) ? this : new Setting(schema, [.. schema.Columns.Select(c => this[c.Name])]);
    }

    /// <summary>The same setting on every dataset: what the transfer question groups by.</summary>
    public Setting WithoutDataset => field ??= Without("datasets");

    /// <summary>
    /// The setting of row <paramref name="i"/> of a stored chunk, whose columns <paramref name="schema"/> names.
    /// </summary>
    /// <param name="shared">Values already held, each stored once: many groups share an axis value, and a boxed
    /// number or a string read from a file would otherwise be held once a group (half of what a reduced group held).</param>
    public static Setting Of<TRow>(Chunk<TRow> chunk, int i, SettingSchema schema, SharedValues? shared = null) =>
        new(schema, [.. schema.Columns.Select(c => shared is null ? chunk.Stored(c.Name).GetValue(i) : shared.Of(chunk.Stored(c.Name).GetValue(i)))]);

    /// <summary>
    /// A stored value as a table cell shows it: a number at round-trip precision, a missing one as <c>none</c>.
    /// </summary>
    public static string Text(object? value) => value switch
    {
        null => "none",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public bool Equals(Setting? other) =>
        other is not null && Schema.Axes.Select(a => a.Axis).SequenceEqual(other.Schema.Axes.Select(a => a.Axis))
        && Schema.Columns.Select(c => c.Name).SequenceEqual(other.Schema.Columns.Select(c => c.Name)) && values.SequenceEqual(other.values);

    public override bool Equals(object? obj) => obj is Setting other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>
    /// Every axis and its cell, <c>datasets=x1to100 / transforms=log1p / ...</c>: for messages, never recursive.
    /// </summary>
    public override string ToString() => string.Join(" / ", Values.Select(v => $"{v.Axis}={v.Value}"));
}

/// <summary>Names settings by the axes that vary among them, so no two different settings read the same.</summary>
internal sealed class SettingLabels
{
    private readonly HashSet<string> varying;
    private readonly List<string> axes;
    private readonly Dictionary<string, SettingAxis> named;

    /// <param name="settings">Every setting of the sweep (or of two sweeps compared: their axes together).</param>
    public SettingLabels(IEnumerable<Setting> settings)
    {
        var all = settings.ToList();
        named = [];
        axes = [];
        foreach (var axis in all.SelectMany(s => s.Schema.Axes))
        {
            if (named.TryAdd(axis.Axis, axis))
            {
                axes.Add(axis.Axis);
            }
        }

        varying = [.. axes.Where(axis => all.Select(s => s.Cell(axis)).Distinct().Count() > 1)];
    }

    /// <summary>The axes that take more than one value, in grid order.</summary>
    public IReadOnlyList<string> Varying => [.. axes.Where(varying.Contains)];

    public bool Varies(string axis) => varying.Contains(axis);

    /// <summary>
    /// The axes a table names each row by: those that vary (but <paramref name="without"/>), or the transform when none
    /// does.
    /// </summary>
    public IReadOnlyList<string> Columns(params string[] without)
    {
        var shown = Varying.Where(a => !without.Contains(a)).ToList();
        return shown.Count > 0 ? shown : ["transforms"];
    }

    /// <summary>
    /// The setting by every varying axis (but <paramref name="without"/>), joined by " / "; a named axis's value
    /// carries its name.
    /// </summary>
    public string Label(Setting setting, params string[] without) =>
        string.Join(" / ", Columns(without).Select(axis => named.TryGetValue(axis, out var a) && a.Named ? $"{axis} {Value(setting, axis)}" : Value(setting, axis)));

    /// <summary>
    /// The value of <paramref name="axis"/> in a setting, as a label shows it (<c>-</c> where the setting has no such
    /// axis).
    /// </summary>
    public static string Value(Setting setting, string axis) => setting.Cell(axis) ?? "-";

    /// <summary>A table header for <paramref name="axis"/>.</summary>
    public string Header(string axis) => named.TryGetValue(axis, out var a) ? a.Header : axis;
}

/// <summary>
/// Equal setting values held once: a number by its bits (so <c>-0.0</c> and <c>0.0</c> stay apart), a string by its
/// characters.
/// </summary>
internal sealed class SharedValues
{
    private readonly Dictionary<object, object> held = new(Same.Instance);

    /// <summary>The value held equal to <paramref name="value"/>, which is held from now on when there is none.</summary>
    public object? Of(object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (held.TryGetValue(value, out var same))
        {
            return same;
        }

        held[value] = value;
        return value;
    }

    private sealed class Same : IEqualityComparer<object>
    {
        public static readonly Same Instance = new();

        public new bool Equals(object? x, object? y) => (x, y) switch
        {
            (double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b),
            _ => x is not null && y is not null && x.GetType() == y.GetType() && x.Equals(y),
        };

        public int GetHashCode(object obj) => obj is double d ? BitConverter.DoubleToInt64Bits(d).GetHashCode() : obj.GetHashCode();
    }
}
