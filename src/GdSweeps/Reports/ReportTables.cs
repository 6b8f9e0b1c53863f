using System.Globalization;
using GdSweeps.Analysis;
using GdSweeps.Configs;

namespace GdSweeps.Reports;

/// <summary>
/// The tables both reports show, built once from the analysis: the transfer answer, the per-dataset ranges, and the
/// preprocessing compared.
/// </summary>
internal sealed class ReportTables(SweepAnalysis analysis)
{
    public const string NotRefined = "†";
    public const string Above = "(above the grid)";
    public const string Below = "(below the grid)";

    private readonly SettingLabels labels = analysis.Labels;

    /// <summary>
    /// Whether the sweep has more than one dataset, so the question of one rate for all of them arises.
    /// </summary>
    public bool AcrossDatasets => analysis.Summaries.Select(g => g.Setting.Dataset).Distinct().Count() > 1;

    /// <summary>The datasets in the config's order, each with its groups.</summary>
    public IEnumerable<IGrouping<string, GroupSummary>> Datasets => analysis.Summaries.GroupBy(g => g.Setting.Dataset);

    private IReadOnlyList<string> Axes(params string[] without) => labels.Columns(["datasets", .. without]);

    private static IEnumerable<Cell> AxisCells(Setting s, IReadOnlyList<string> axes) => axes.Select(a => Cell.Words(SettingLabels.Value(s, a)));

    /// <summary>Per setting, the rates stable and converged on every dataset at once.</summary>
    public ReportTable Transfer()
    {
        var axes = Axes();
        return new ReportTable(
            [.. axes.Select(labels.Header), "stable on every dataset", "converged on every dataset", "answer"],
            ReportTable.RowsOf(analysis.Transfer, t => [.. AxisCells(t.Setting, axes), Cell.Interval(t.StableLow, t.StableHigh), Cell.Interval(t.ConvergedLow, t.ConvergedHigh), Cell.Words(t.Statement)]),
            ["Converged: the run of consecutive rates tried that converged on every dataset, around the fastest of them (as in the tables below)."]);
    }

    /// <summary>
    /// One row per group of <paramref name="groups"/> (one dataset): the problem, the bound, the stable and converged
    /// ranges, the best run.
    /// </summary>
    public ReportTable Dataset(IReadOnlyList<GroupSummary> groups) => analysis.Command ? CommandDataset(groups) : BuiltinDataset(groups);

    /// <summary>
    /// A command trainer's groups: the sharpness at the start and 2 over it in place of the analytic figures, and where
    /// the
    /// measured edge lies against it; each group's full statement follows the table.
    /// </summary>
    private ReportTable CommandDataset(IReadOnlyList<GroupSummary> groups)
    {
        var axes = Axes();
        var originalUnits = groups.Any(g => g.BestFinalLossOriginal is not null);
        var rows = ReportTable.RowsOf(groups, g =>
        [
            .. AxisCells(g.Setting, axes),
            Cell.Of(g.Sharpness0), Cell.Of(g.Figures.LrCrit), StableUpTo(g), Cell.Of(g.MinUnstableLr), Ratio(g), Cell.Words(g.SharpnessVerdict ?? "-"),
            Cell.Interval(g.MinConvergedLr, g.MaxConvergedLr), Cell.Of(g.BestLr),
            new Cell(g.BestConvergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? "-", Number: true),
            Cell.Of(g.BestFinalLoss), .. originalUnits ? [Cell.Of(g.BestFinalLossOriginal)] : Array.Empty<Cell>(),
        ]);
        var notes = Notes(groups, "measured / lr_crit");
        notes.AddRange(groups.Where(g => g.SharpnessStatement is not null).Select(g => $"{labels.Label(g.Setting, "datasets")}: {g.SharpnessStatement}."));
        return new ReportTable(
            [
                .. axes.Select(labels.Header), "sharpness_0", "lr_crit = 2/sharpness_0", "converges up to", "first not converging",
                "measured / lr_crit", "edge vs 2/sharpness_0", "converged range", "best lr", "steps to converge", "final loss (transformed)",
                .. originalUnits ? ["final loss (units of y)"] : Array.Empty<string>(),
            ],
            rows,
            notes);
    }

    private ReportTable BuiltinDataset(IReadOnlyList<GroupSummary> groups)
    {
        var axes = Axes();

        // One parameter: the gradient itself; several: its norm, and the header says so.
        var oneParameter = groups.All(g => g.Figures.Features == 1 && g.Setting["model"] as string != "affine");
        var clipped = groups.Any(g => g.Clipped);
        var originalUnits = groups.Any(g => g.BestFinalLossOriginal is not null);
        var rows = ReportTable.RowsOf(groups, g =>
        [
            .. AxisCells(g.Setting, axes),
            Cell.Of(oneParameter ? g.Figures.InitialGradient : g.Figures.InitialGradientNorm, "G6"), Cell.Of(g.Figures.LambdaMax),
            Cell.Of(g.Figures.ConditionNumber), Cell.Of(g.Figures.LrCrit),
            StableUpTo(g), Cell.Of(g.MinUnstableLr), Ratio(g),
            .. clipped ? (Cell[])[g.Clipped ? FiniteUpTo(g) : Cell.Words("-"), Cell.Of(g.Figures.LrFinite)] : [],
            Cell.Interval(g.MinConvergedLr, g.MaxConvergedLr), Cell.Of(g.BestLr),
            new Cell(g.BestConvergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? "-", Number: true),
            Cell.Of(g.BestFinalLoss), .. originalUnits ? [Cell.Of(g.BestFinalLossOriginal)] : Array.Empty<Cell>(),
        ]);
        var notes = Notes(groups, "measured / analytic");
        if (groups.Any(g => g.InTransitSteps is not null))
        {
            notes.Add("‡ No edge can be told there within the budget: the runs above the last stable rate were still capped at the end (in-transit); the slowest of them needs about the steps shown to arrive near the optimum, faster ones fewer.");
        }

        var bounds = groups.Select(g => g.Setting["optimizer"] as string).Distinct().Select(OptimizerSpec.BoundNameOf).OfType<string>().ToList();
        if (bounds.Count > 1)
        {
            notes.Add($"lr_crit is each optimizer's own bound: {string.Join("; ", groups.Select(g => g.Setting["optimizer"] as string).Distinct().Where(o => OptimizerSpec.BoundNameOf(o) is not null).Select(o => $"{o}: {OptimizerSpec.BoundNameOf(o)}"))}.");
        }

        return new ReportTable(
            [
                .. axes.Select(labels.Header), oneParameter ? "dL/dw at w0" : "|gradient| at w0 (norm)", "lambda_max", "condition", "lr_crit (analytic)",
                "converges up to", "first not converging", "measured / analytic", .. clipped ? (string[])["finite up to", "finite up to (theory)"] : [],
                "converged range", "best lr", "steps to converge", "final loss (transformed)", .. originalUnits ? ["final loss (units of y)"] : Array.Empty<string>(),
            ],
            rows,
            notes);
    }

    /// <summary>
    /// Per group, what theory says of speed beside what was measured: the rate of fastest contraction and its steps,
    /// the best rate and its steps, and the stalled run nearest to converging with the steps it would need.
    /// </summary>
    public ReportTable? Speed(IReadOnlyList<GroupSummary> groups)
    {
        var shown = groups.Where(g => g.Figures.FastestLr is not null || g.StalledSteps is not null).ToList();
        if (analysis.Command || shown.Count == 0)
        {
            return null;
        }

        var axes = Axes();
        var rows = ReportTable.RowsOf(shown, g =>
        [
            .. AxisCells(g.Setting, axes), Cell.Of(g.Figures.ConditionNumber), Cell.Of(g.Figures.FastestLr), Steps(g.Figures.FastestLrSteps),
            Cell.Of(g.BestLr), Steps(g.BestConvergedAtStep), Cell.Of(g.StalledLr), Steps(g.StalledSteps),
        ]);
        return new ReportTable(
            [.. axes.Select(labels.Header), "condition", "fastest lr (theory)", "its steps (theory)", "best lr", "its steps (measured)", "stalled at lr", "steps it needs (theory)"],
            rows,
            ["Theory's fastest rate for GD is 2/(lambda_max + lambda_min), the best worst-case contraction, (condition - 1)/(condition + 1) a step; its steps count every direction of the Hessian from the group's start (docs/analysis.md). A stalled run approached without converging: its slowest direction needs the steps shown."]);
    }

    private static Cell Steps(long? steps) => new(steps?.ToString(CultureInfo.InvariantCulture) ?? "-", Number: true);

    /// <summary>A clipped group's finite edge: the largest rate that stayed finite, at least that when none crossed.</summary>
    private static Cell FiniteUpTo(GroupSummary g) =>
        g.MaxFiniteLr is not { } f ? Cell.Words("-") : new Cell(g.MinInfiniteLr is null ? $">= {Cell.Num(f)}" : Cell.Num(f), Figures: true);

    /// <summary>What the markers in a dataset's table mean, for the markers it has.</summary>
    private static List<string> Notes(IReadOnlyList<GroupSummary> groups, string ratio)
    {
        var notes = new List<string>();
        if (groups.Any(g => Ratio(g).Text.EndsWith(NotRefined, StringComparison.Ordinal)))
        {
            notes.Add($"{NotRefined} Not refined: the edge lies between the largest converging rate and the first not converging one the grid tried, so {ratio} is known only to the grid's resolution and is shown as that bracket (at least the value shown when nothing tried was unstable). Set refine: true to bisect it.");
        }

        if (groups.Any(g => g.EdgeBeyondGrid is not null))
        {
            notes.Add($"{Above} / {Below}: the edge lay beyond the config's learning rates; refinement went out a decade at a time (up to 1e6 times the grid's end) to find it.");
        }

        return notes;
    }

    /// <summary>
    /// Where the transform varies: each setting's best final loss in the original units of y, one column per transform,
    /// since losses in transformed units cannot be compared across transforms. Null when only one transform was tried.
    /// </summary>
    public ReportTable? Preprocessing(IReadOnlyList<GroupSummary> groups)
    {
        var transforms = groups.Select(g => g.Setting.Cell("transforms")!).Distinct().ToList();
        if (transforms.Count < 2)
        {
            return null;
        }

        var axes = labels.Varying.Where(a => a is not ("datasets" or "transforms")).ToList();
        var rows = groups.GroupBy(g => g.Setting.Without("transforms")).Select(s =>
        {
            var byTransform = transforms.Select(t => s.FirstOrDefault(g => g.Setting.Cell("transforms") == t)?.BestFinalLossOriginal).ToList();
            var lowest = byTransform.Select((v, i) => (v, i)).Where(x => x.v is not null).OrderBy(x => x.v).Select(x => transforms[x.i]).FirstOrDefault();
            return (IReadOnlyList<Cell>)[.. AxisCells(s.Key, axes), .. byTransform.Select(v => Cell.Of(v)), Cell.Words(lowest ?? "-")];
        }).ToList();
        return new ReportTable(
            [.. axes.Select(labels.Header), .. transforms, "lowest"],
            rows,
            ["Each cell is the best run's final loss with its predictions mapped back through the target's inverse transform, against the raw y (best_final_loss_original)."]);
    }

    private static Cell StableUpTo(GroupSummary g)
    {
        if (g.Uninformative)
        {
            return Cell.Words("uninformative: starts at the optimum");
        }

        if (g.InTransitSteps is { } steps)
        {
            return Cell.Words(string.Create(CultureInfo.InvariantCulture,
                $"{(g.MaxStableLr is { } s ? $"at least {Cell.Num(s)}; " : "")}not known ‡ (the run at {Cell.Num(g.InTransitLr)} needs {steps} steps to arrive)"));
        }

        var beyond = g.EdgeBeyondGrid switch
        {
            "above" => " " + Above,
            "below" => " " + Below,
            _ => "",
        };
        return new Cell(Cell.Num(g.MaxStableLr) + beyond, Figures: true);
    }

    /// <summary>
    /// The measured edge over the bound: one figure when refined, else the bracket the grid leaves (with the marker).
    /// </summary>
    private static Cell Ratio(GroupSummary g)
    {
        if (g.EdgeRatio is not { } ratio || g.RefinementRuns > 0)
        {
            return Cell.Of(g.EdgeRatio);
        }

        var crit = g.Figures.LrCrit!.Value;
        return new Cell(g.MinUnstableLr is { } u ? $"[{Cell.Num(ratio)}, {Cell.Num(u / crit)}] {NotRefined}" : $">= {Cell.Num(ratio)} {NotRefined}", Figures: true);
    }
}
