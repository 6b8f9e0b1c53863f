namespace GdSweeps.Configs;

/// <summary>
/// One column an axis's values are stored as in <c>runs/</c>: its name, what it holds and when it is null.
/// </summary>
internal abstract class AxisColumn(string name, string meaning, string? nullMeans)
{
    public string Name { get; } = name;

    /// <summary>What the column holds and its unit, as docs/results-schema.md says.</summary>
    public string Meaning { get; } = meaning;

    /// <summary>When the column is null; null for a column that never is.</summary>
    public string? NullMeans { get; } = nullMeans;

    /// <summary>The stored type: string, int, long, double or bool, or a nullable one of the value types.</summary>
    public abstract Type Type { get; }

    /// <summary>
    /// This column's value for each of <paramref name="axis"/>'s values, in order, as a typed array (<c>string?[]</c>,
    /// <c>int[]</c>, <c>double?[]</c>, ...).
    /// </summary>
    public abstract Array ValuesOf(IAxis axis);
}

/// <summary>
/// A column holding a part of each value of an axis of <typeparamref name="T"/>, as <typeparamref name="TStored"/>.
/// </summary>
internal sealed class AxisColumn<T, TStored>(string name, Func<T, TStored> get, string meaning, string? nullMeans)
    : AxisColumn(name, meaning, nullMeans)
{
    public override Type Type => typeof(TStored);

    public override Array ValuesOf(IAxis axis) => ((Axis<T>)axis).Values.Select(get).ToArray();
}

/// <summary>Builds the columns an axis declares beside its reader.</summary>
internal static class AxisColumns
{
    public static AxisColumn Text<T>(string name, Func<T, string> get, string meaning) => new AxisColumn<T, string>(name, get, meaning, null);

    public static AxisColumn OptionalText<T>(string name, Func<T, string?> get, string meaning, string nullMeans) =>
        new AxisColumn<T, string?>(name, get, meaning, nullMeans);

    public static AxisColumn Value<T, TStored>(string name, Func<T, TStored> get, string meaning)
        where TStored : struct => new AxisColumn<T, TStored>(name, get, meaning, null);

    public static AxisColumn Optional<T, TStored>(string name, Func<T, TStored?> get, string meaning, string nullMeans)
        where TStored : struct => new AxisColumn<T, TStored?>(name, get, meaning, nullMeans);
}
