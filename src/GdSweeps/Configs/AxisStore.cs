namespace GdSweeps.Configs;

/// <summary>
/// What an axis stores of its values: its columns in <c>runs/</c> and, unless it is free (varied within a group), how
/// it
/// names a group. Declared beside the axis's reader; everything after the grid is built from it by name.
/// </summary>
/// <param name="Columns">The stored columns.</param>
/// <param name="Setting">The setting columns (the first is the label unless <paramref name="Label"/> says); empty for a
/// free axis.</param>
internal sealed record AxisStore(
    IReadOnlyList<AxisColumn> Columns, IReadOnlyList<string> Setting, string? Label = null, string? Header = null, bool Named = false)
{
    /// <summary>
    /// The columns of a sweep's axis when they depend on its values (a parameter's type does); <see cref="Columns"/>
    /// otherwise.
    /// </summary>
    public Func<IAxis, IReadOnlyList<AxisColumn>>? ColumnsOf { get; init; }

    /// <summary>The stored columns of <paramref name="axis"/>.</summary>
    public IReadOnlyList<AxisColumn> ColumnsFor(IAxis axis) => ColumnsOf?.Invoke(axis) ?? Columns;

    /// <summary>How axis <paramref name="name"/> names a group; null for a free axis.</summary>
    public SettingAxis? SettingOf(string name) =>
        Setting.Count == 0 ? null : new SettingAxis(name, Header ?? name, Named, Label ?? Setting[0], Setting);
}
