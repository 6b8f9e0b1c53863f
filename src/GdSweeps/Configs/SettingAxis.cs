namespace GdSweeps.Configs;

/// <summary>
/// How an axis names a group of runs: the stored columns that tell its value apart (in <c>runs/</c>, summaries and
/// comparisons), the one whose text is its cell in a table, the table header, and whether a label puts the axis's name
/// before the value (<c>clip 10</c>) or shows the value alone (<c>log1p</c>).
/// </summary>
/// <param name="Columns">The setting columns, in order; <paramref name="Label"/> is one of them.</param>
internal sealed record SettingAxis(string Axis, string Header, bool Named, string Label, IReadOnlyList<string> Columns)
{
    public bool Equals(SettingAxis? other) =>
        other is not null && (Axis, Header, Named, Label) == (other.Axis, other.Header, other.Named, other.Label) && Columns.SequenceEqual(other.Columns);

    public override int GetHashCode() => HashCode.Combine(Axis, Label, Columns.Count);
}
