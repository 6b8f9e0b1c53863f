using GdSweeps.Analysis;
using GdSweeps.Results;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Pipeline;

/// <summary>
/// The columns of <c>compare-&lt;a&gt;.parquet</c> (one row per setting of either sweep), declared once.
/// </summary>
internal static class ComparisonFile
{
    /// <summary>The file <c>gdsweeps compare A B</c> writes into B unless told where: named after A's folder.</summary>
    public static string NameFor(string directoryA) => $"compare-{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directoryA)))}.parquet";

    /// <summary>
    /// The table comparing sweeps whose settings are <paramref name="a"/> and <paramref name="b"/>: the setting's
    /// columns, then the figures.
    /// </summary>
    public static Table<GroupComparison> TableFor(SettingSchema a, SettingSchema b, IReadOnlyList<string>? ignored = null) =>
        new([.. SettingColumns(a, b), .. (ignored ?? []).SelectMany(Ignored), .. Figures]);

    /// <summary>An ignored key's value in each sweep, as a table cell shows it (<c>compare --ignore</c>).</summary>
    private static RowColumn<GroupComparison>[] Ignored(string axis) =>
    [
        OptionalText<GroupComparison>($"{axis}_a", r => r.FullA?.Cell(axis), $"the ignored key `{axis}` in sweep a (`compare --ignore`)", "the setting is not in a"),
        OptionalText<GroupComparison>($"{axis}_b", r => r.FullB?.Cell(axis), $"the ignored key `{axis}` in sweep b (`compare --ignore`)", "the setting is not in b"),
    ];

    /// <summary>
    /// The setting's columns of both sweeps: as stored when they agree; otherwise every column of either, nullable (a
    /// setting of the other sweep has none), and as text where the two store one column as different types.
    /// </summary>
    private static List<RowColumn<GroupComparison>> SettingColumns(SettingSchema a, SettingSchema b)
    {
        if (a.Columns.SequenceEqual(b.Columns))
        {
            return SummaryFiles.SettingColumns<GroupComparison>(a, r => r.Setting);
        }

        var all = a.Columns.Concat(b.Columns).GroupBy(c => c.Name).Select(g =>
        {
            var first = g.First();
            var type = g.All(c => c.Type == first.Type) ? first.Type : typeof(string);
            var nullable = Columns.Nullable(System.Nullable.GetUnderlyingType(type) ?? type, true);
            Func<GroupComparison, object?> get = type == first.Type ? r => r.Setting[first.Name] : r => r.Setting[first.Name] is { } v ? Setting.Text(v) : null;
            return Boxed(first.Name, nullable, get, first.Meaning, $"{first.NullMeans ?? "never in a sweep that has it"}; or the other sweep has no such column");
        });
        return [.. all];
    }

    private static IReadOnlyList<RowColumn<GroupComparison>> Figures { get; } =
    [
        Text<GroupComparison>("in", r => r.In, "`both`, `a only` or `b only`: which sweeps have this setting (a is the first folder compared, b the second)"),
        .. Pair("lr_crit", f => f.LrCrit, "the analytic bound", "no theory applies"),
        .. Moved("max_stable_lr", f => f.MaxStableLr, "largest learning rate below which no run diverged or was diverging", "no stable rate tried"),
        .. Moved("min_unstable_lr", f => f.MinUnstableLr, "smallest learning rate at which some run diverged or was diverging", "nothing tried was unstable"),
        .. Pair("edge_ratio", f => f.EdgeRatio, "`max_stable_lr / lr_crit`", "clipped, or no bound, or no stable rate"),
        .. Moved("min_converged_lr", f => f.MinConvergedLr, "the converged range's smallest rate", "none converged"),
        .. Moved("max_converged_lr", f => f.MaxConvergedLr, "the converged range's largest rate", "none converged"),
        .. Moved("best_lr", f => f.BestLr, "the rate that converged in the fewest steps, else the lowest final loss", "no finite run"),
    ];

    /// <summary>Every column but the setting's, for docs/results-schema.md.</summary>
    public static IReadOnlyList<Column> FigureColumns => Figures;

    /// <summary>The figure in sweep a and in sweep b, as in each one's summary.parquet.</summary>
    private static RowColumn<GroupComparison>[] Pair(string name, Func<GroupFigures, double?> figure, string meaning, string nullMeans) =>
    [
        Optional<GroupComparison, double>($"{name}_a", r => r.A is null ? null : figure(r.A), $"in sweep a, {meaning}", $"in a, {nullMeans}; or the setting is not in a"),
        Optional<GroupComparison, double>($"{name}_b", r => r.B is null ? null : figure(r.B), $"in sweep b, {meaning}", $"in b, {nullMeans}; or the setting is not in b"),
    ];

    /// <summary>The pair and how far the figure moved: b over a.</summary>
    private static RowColumn<GroupComparison>[] Moved(string name, Func<GroupFigures, double?> figure, string meaning, string nullMeans) =>
    [
        .. Pair(name, figure, meaning, nullMeans),
        Optional<GroupComparison, double>(
            $"{name}_ratio",
            r => GroupComparison.Ratio(r.A is null ? null : figure(r.A), r.B is null ? null : figure(r.B)),
            $"`{name}_b / {name}_a`: 1 when it did not move",
            "either is null"),
    ];
}
