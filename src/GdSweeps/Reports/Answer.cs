using System.Globalization;
using GdSweeps.Analysis;

namespace GdSweeps.Reports;

/// <summary>
/// The answer a report opens with: per dataset, a few sentences from the numbers. Which preprocessing gives the widest
/// stable range and by what factor over raw data, the best loss each reaches in the units of y, whether clipping moved
/// the convergence edge (it should not) and what it did instead, the fastest rate against theory's, and any group
/// where measurement and theory disagree.
/// </summary>
/// <remarks>
/// Each dataset is answered for one setting of the other axes (the dataset's first group's), so that transforms and
/// clips are compared with everything else held; the sentence names that setting when other axes vary.
/// </remarks>
internal static class Answer
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>One paragraph per dataset, each a dataset's name and its sentences; none for a command trainer's sweep.</summary>
    public static IReadOnlyList<(string Dataset, IReadOnlyList<string> Sentences)> Of(SweepAnalysis analysis)
    {
        if (analysis.Command)
        {
            return [];
        }

        var answers = new List<(string, IReadOnlyList<string>)>();
        foreach (var dataset in analysis.Summaries.GroupBy(g => g.Setting.Dataset))
        {
            var held = dataset.First().Setting.Without("transforms").Without("clip");
            var groups = dataset.Where(g => g.Setting.Without("transforms").Without("clip").Equals(held)).ToList();
            var others = analysis.Labels.Varying.Where(a => a is not ("datasets" or "transforms" or "clip")).ToList();
            var setting = others.Count == 0 ? "" : $" (for {string.Join(", ", others.Select(a => $"{a} {SettingLabels.Value(held, a)}"))})";
            answers.Add((dataset.Key, Sentences(groups, setting, analysis.Summaries.Where(g => g.Setting.Dataset == dataset.Key).ToList())));
        }

        return answers;
    }

    private static List<string> Sentences(List<GroupSummary> groups, string setting, List<GroupSummary> all)
    {
        var sentences = new List<string>();
        var plain = groups.Where(g => !g.Clipped).ToList();
        if (plain.Count > 0)
        {
            sentences.Add(Preprocessing(plain, setting));
        }

        if (groups.Any(g => g.Clipped))
        {
            sentences.Add(Clipping(groups));
        }

        if (Fastest(plain) is { } fastest)
        {
            sentences.Add(fastest);
        }

        sentences.Add(Theory(all));
        return sentences;
    }

    /// <summary>The transforms by how far they converge, the widest first, with its factor over raw data and each one's best loss in y.</summary>
    private static string Preprocessing(List<GroupSummary> plain, string setting)
    {
        var byTransform = plain.Select(g => (Transform: g.Setting.Cell("transforms")!, Group: g)).ToList();
        if (byTransform.Count == 1)
        {
            var (t, g) = byTransform[0];
            return $"Without clipping, {t}{setting} converges up to lr {Num(g.MaxStableLr)} (2/lambda_max = {Num(g.Figures.LrCrit)}); its best loss in the units of y is {Num(g.BestFinalLossOriginal)}.";
        }

        var widest = byTransform.Where(x => x.Group.MaxStableLr is not null).OrderByDescending(x => x.Group.MaxStableLr).FirstOrDefault();
        if (widest.Group is null)
        {
            return $"Without clipping, no transform{setting} converged at any rate tried.";
        }

        var raw = byTransform.FirstOrDefault(x => x.Transform == "none");
        var against = raw.Group is { MaxStableLr: { } r } && raw.Transform != widest.Transform
            ? string.Create(Ci, $", {Factor(widest.Group.MaxStableLr!.Value / r)} raw data's {Num(r)}")
            : "";
        var rest = byTransform.Where(x => x.Transform != widest.Transform && x.Transform != raw.Transform)
            .Select(x => $"{x.Transform} up to {Num(x.Group.MaxStableLr)}").ToList();
        var losses = string.Join(", ", byTransform.Select(x => $"{x.Transform} {Num(x.Group.BestFinalLossOriginal)}"));
        return $"Without clipping, {widest.Transform}{setting} gives the widest stable range: it converges up to lr {Num(widest.Group.MaxStableLr)}{against}"
            + (rest.Count > 0 ? $" ({string.Join(", ", rest)})" : "")
            + $". The best loss each reaches in the units of y: {losses}.";
    }

    /// <summary><c>457x</c> for a factor above 1, <c>1/3.2 of</c> below.</summary>
    private static string Factor(double ratio) => ratio >= 1
        ? string.Create(Ci, $"{ratio:G3}x")
        : string.Create(Ci, $"1/{1 / ratio:G3} of");

    /// <summary>Whether clipping moved each transform's convergence edge, and what it did above it: kept the runs finite.</summary>
    private static string Clipping(List<GroupSummary> groups)
    {
        var clipped = groups.Where(g => g.Clipped).ToList();
        var moved = new List<string>();
        var untold = new List<string>();
        foreach (var g in clipped)
        {
            var transform = g.Setting.Cell("transforms")!;
            var name = $"clip {g.Setting.Cell("clip")} on {transform}";
            var plain = groups.FirstOrDefault(p => !p.Clipped && p.Setting.Cell("transforms") == transform);
            if (g.InTransitLr is not null || (g.MaxStableLr is null && g.InTransitSteps is not null))
            {
                untold.Add(g.InTransitLr is { } lr
                    ? string.Create(Ci, $"{name} (its run at {Num(lr)} was still capped at the end: it needs about {g.InTransitSteps} capped steps to arrive)")
                    : $"{name} (its runs were still capped at the end of the budget)");
            }
            else if (plain is not null && g.MaxStableLr != plain.MaxStableLr)
            {
                moved.Add($"{name} to {Num(g.MaxStableLr)} (without: {Num(plain.MaxStableLr)})");
            }
        }

        var clips = $"clip {Join([.. clipped.Select(g => g.Setting.Cell("clip")!).Distinct()])}";
        var text = moved.Count == 0
            ? $"Clipping ({clips}) does not move the convergence edge"
            : $"Clipping moved the convergence edge for {Join(moved)}";
        text += untold.Count > 0 ? $"; the budget cannot tell it for {Join(untold)}" : "";

        // Above the edge: finite (bounded), until the swing's loss crosses the threshold.
        var crossed = clipped.Where(g => g.MinInfiniteLr is not null).ToList();
        var theory = clipped.Select(g => g.Figures.LrFinite).OfType<double>().ToList();
        var predicted = theory.Count == 0 ? "" : theory.Min() == theory.Max()
            ? $"; theory puts that crossing near lr {Num(theory[0])}"
            : $"; theory puts that crossing between lr {Num(theory.Min())} and {Num(theory.Max())}";
        var finite = crossed.Count == 0
            ? $"no swing crossed the divergence threshold at any rate tried{predicted}"
            : $"the swing crossed the divergence threshold above {Join([.. crossed.Select(g => $"{Num(g.MaxFiniteLr)} for clip {g.Setting.Cell("clip")} on {g.Setting.Cell("transforms")} (theory {Num(g.Figures.LrFinite)})")])}";
        return text + $". Above the edge clipping keeps the runs finite but swinging (bounded), not converging: {finite}.";
    }

    /// <summary>The fastest converging rate measured, against theory's rate of fastest contraction and its steps.</summary>
    private static string? Fastest(List<GroupSummary> plain)
    {
        var best = plain.Where(g => g.BestConvergedAtStep is not null).OrderBy(g => g.BestConvergedAtStep).ThenBy(g => g.BestLr).FirstOrDefault();
        if (best is null)
        {
            return null;
        }

        var transform = best.Setting.Cell("transforms");
        var theory = best.Figures is { FastestLr: { } f, FastestLrSteps: { } steps }
            ? $"; theory's fastest there, 2/(lambda_max + lambda_min) = {Num(f)}, needs {Plural.Of(steps, "step")} from this start"
            : "";
        return string.Create(Ci, $"The fastest converging rate tried is {Num(best.BestLr)} with {transform}: {Plural.Of(best.BestConvergedAtStep!.Value, "step")}{theory}.");
    }

    /// <summary>Groups whose measured edge disagrees with the bound: refined and off by more than 1%, or a grid bracket that leaves it out.</summary>
    private static string Theory(List<GroupSummary> groups)
    {
        var off = new List<string>();
        var measured = groups.Where(g => g.Figures.LrCrit is not null && g.MaxStableLr is not null && g.InTransitLr is null).ToList();
        foreach (var g in measured)
        {
            var crit = g.Figures.LrCrit!.Value;
            var bracketMisses = g.RefinementRuns > 0
                ? g.EdgeRatio is { } r && (r > 1.0000001 || r < 0.99)
                : g.MaxStableLr > crit * 1.0000001 || g.MinUnstableLr < crit * 0.9999999;
            if (bracketMisses)
            {
                off.Add(string.Create(Ci, $"{g.Setting.Cell("transforms")} clip {g.Setting.Cell("clip")} (converges up to {Num(g.MaxStableLr)} against {Num(crit)})"));
            }
        }

        // Edges the budget could not tell (runs still in transit) are neither agreement nor disagreement: said apart.
        var unknown = groups.Count(g => g.Figures.LrCrit is not null && g.InTransitLr is not null);
        var untold = unknown == 0 ? "" : $" ({Plural.Of(unknown, "edge")} not known within the budget, above)";
        if (measured.Count == 0)
        {
            // Nothing to agree or disagree: no group with a bound had a stable rate (every rate tried diverged).
            return unknown == 0 ? "No convergence edge was measured: in no group with a bound was a rate tried stable, so none is set beside it."
                : $"No convergence edge was measured{untold}.";
        }

        return off.Count == 0
            ? $"Every convergence edge measured agrees with its bound{untold}."
            : $"Measurement and theory disagree for {Join(off)}: see docs/analysis.md{untold}.";
    }

    private static string Join(List<string> items) => items.Count switch
    {
        1 => items[0],
        2 => $"{items[0]} and {items[1]}",
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };

    /// <summary>A figure as the tables write it: plain from 1e-4 to 1e5, scientific (<c>3.03e5</c>) beyond.</summary>
    private static string Num(double? value) => value is not { } v ? "-"
        : v != 0 && (Math.Abs(v) < 1e-4 || Math.Abs(v) >= 1e5) ? Notation.Scientific(Cell.Num(v)) : Cell.Num(v);
}
