using GdSweeps.Analysis;

namespace GdSweeps.Pipeline;

/// <summary>
/// A group's figures in one sweep's <c>summary.parquet</c>: the measured edge, the converged range, the best rate and
/// the bound.
/// </summary>
internal sealed record GroupFigures(
    double? LrCrit, double? MaxStableLr, double? MinUnstableLr, double? EdgeRatio, double? MinConvergedLr, double? MaxConvergedLr, double? BestLr);

/// <summary>
/// One setting of two sweeps compared: its figures in each (null where the setting is not in that sweep). A setting is
/// every axis value but the learning rate and seed, as stored, so a group matches its like in the other sweep whatever
/// else changed between them (the data's values, the tolerance, the grid of rates).
/// </summary>
internal sealed record GroupComparison(Setting Setting, GroupFigures? A, GroupFigures? B)
{
    /// <summary><c>both</c>, <c>a only</c> or <c>b only</c>.</summary>
    public string In => (A, B) switch
    {
        (not null, not null) => "both",
        (not null, null) => "a only",
        _ => "b only",
    };

    /// <summary>B's figure over A's (1 when it did not move); null unless both have it and A's is not 0.</summary>
    public static double? Ratio(double? a, double? b) => a is { } x && b is { } y && x != 0 ? y / x : null;

    /// <summary>
    /// Every setting of either sweep: first those of A in A's order (matched or not), then those only in B.
    /// </summary>
    public static List<GroupComparison> Match(IReadOnlyList<(Setting Setting, GroupFigures Figures)> a, IReadOnlyList<(Setting Setting, GroupFigures Figures)> b)
    {
        // A setting names one group of a sweep; should a summary hold it twice, the first is the one compared.
        var inB = b.GroupBy(g => g.Setting).ToDictionary(g => g.Key, g => g.First().Figures);
        var inA = a.Select(g => g.Setting).ToHashSet();
        return
        [
            .. a.Select(g => new GroupComparison(g.Setting, g.Figures, inB.GetValueOrDefault(g.Setting))),
            .. b.Where(g => !inA.Contains(g.Setting)).Select(g => new GroupComparison(g.Setting, null, g.Figures)),
        ];
    }
}
