namespace GdSweeps.Configs;

/// <summary>
/// One axis of a sweep, whatever the type of its values: its name (the YAML key) and, per value, a label and an
/// identity key.
/// </summary>
internal interface IAxis
{
    /// <summary>The YAML key, which is also the name <c>zip</c> and <c>exclude</c> use.</summary>
    string Name { get; }

    AxisKind Kind { get; }

    int Count { get; }

    /// <summary>How value <paramref name="index"/> reads in logs and listings.</summary>
    string Label(int index);

    /// <summary>
    /// Everything about value <paramref name="index"/> that can change a stored number or label, as text: part of each
    /// run's identity.
    /// </summary>
    string Key(int index);

    SourceMark Mark(int index);

    /// <summary>The columns this axis's values are stored as.</summary>
    IReadOnlyList<AxisColumn> Columns => Kind.Store.ColumnsFor(this);

    /// <summary>How this axis names a group of runs; null for a free axis.</summary>
    SettingAxis? Setting => Kind.Store.SettingOf(Name);
}
