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
/// <param name="Setting">What the two groups agree on: every key compared (all but the ignored ones).</param>
/// <param name="FullA">A's whole setting, ignored keys included (null when A has no such group).</param>
/// <param name="FullB">B's whole setting.</param>
internal sealed record GroupComparison(Setting Setting, GroupFigures? A, GroupFigures? B, Setting? FullA = null, Setting? FullB = null)
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
    public static List<GroupComparison> Match(IReadOnlyList<(Setting Setting, GroupFigures Figures)> a, IReadOnlyList<(Setting Setting, GroupFigures Figures)> b) =>
        Match(a, b, []);

    /// <summary>
    /// Every setting of either sweep, paired on every key but <paramref name="ignore"/> (axis names): first A's in A's
    /// order, then those only in B.
    /// </summary>
    /// <exception cref="AmbiguousPairingException">With keys ignored, two groups of one sweep agree on every other
    /// key: which of them pairs with the other sweep's cannot be told.</exception>
    public static List<GroupComparison> Match(IReadOnlyList<(Setting Setting, GroupFigures Figures)> a, IReadOnlyList<(Setting Setting, GroupFigures Figures)> b, IReadOnlyCollection<string> ignore)
    {
        Setting Key(Setting s) => ignore.Aggregate(s, (k, axis) => k.Without(axis));
        var keysA = a.Select(g => (Key: Key(g.Setting), g.Setting, g.Figures)).ToList();
        var keysB = b.Select(g => (Key: Key(g.Setting), g.Setting, g.Figures)).ToList();
        if (ignore.Count > 0)
        {
            foreach (var (side, keys) in new[] { ("a", keysA), ("b", keysB) })
            {
                if (keys.GroupBy(k => k.Key).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    throw new AmbiguousPairingException(side, twice.Key, [.. twice.Select(t => t.Setting)], ignore);
                }
            }
        }

        // A setting names one group of a sweep; should a summary hold it twice, the first is the one compared.
        var inB = keysB.GroupBy(g => g.Key).ToDictionary(g => g.Key, g => g.First());
        var inA = keysA.Select(g => g.Key).ToHashSet();
        return
        [
            .. keysA.Select(g => inB.TryGetValue(g.Key, out var other)
                ? new GroupComparison(g.Key, g.Figures, other.Figures, g.Setting, other.Setting)
                : new GroupComparison(g.Key, g.Figures, null, g.Setting)),
            .. keysB.Where(g => !inA.Contains(g.Key)).Select(g => new GroupComparison(g.Key, null, g.Figures, null, g.Setting)),
        ];
    }
}

/// <summary>With the keys ignored, two groups of one sweep agree on every key left: the pairing is ambiguous.</summary>
internal sealed class AmbiguousPairingException(string side, Setting key, IReadOnlyList<Setting> groups, IReadOnlyCollection<string> ignore)
    : Exception($"pairing is ambiguous: ignoring {string.Join(", ", ignore)}, {groups.Count} groups of {side} agree on every other key "
        + $"({string.Join(", ", key.Values.Select(v => $"{v.Axis} {v.Value}"))}) and differ only in what is ignored "
        + $"({string.Join("; ", groups.Take(3).Select(g => string.Join(", ", ignore.Select(i => $"{i} {g.Cell(i) ?? "none"}"))))}{(groups.Count > 3 ? "; ..." : "")}); ignore fewer keys, or compare sweeps with one value of each ignored key");
