using System.Globalization;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>Everything the reports show, computed from the stored runs alone.</summary>
public sealed record SweepAnalysis(
    IReadOnlyList<GroupRuns> Groups,
    IReadOnlyList<GroupSummary> Summaries,
    IReadOnlyList<TransferSummary> Transfer,
    IReadOnlyDictionary<RunStatus, long> Counts,
    SettingLabels Labels,
    bool Command = false)
{
    public long Runs => Counts.Values.Sum();
}

/// <summary>Reduces stored runs to per-group stable ranges and per-setting transfer intervals; reads nothing but the groups it is given.</summary>
public static class StabilityAnalysis
{
    /// <param name="command">The runs are a command trainer's: the bound is 2/sharpness_0, not an analytic one.</param>
    public static SweepAnalysis Analyze(IReadOnlyList<GroupRuns> groups, bool command = false) => new(
        groups,
        [.. groups.Select(Summarize)],
        Transfer(groups),
        RunStatuses.All.ToDictionary(s => s, s => (long)groups.Sum(g => g.Points.Count(p => p.Status == s))),
        new SettingLabels(groups.Select(g => g.Setting)),
        command);

    private static GroupSummary Summarize(GroupRuns group)
    {
        var points = group.Points;
        var rates = points.GroupBy(r => r.LearningRate).OrderBy(g => g.Key)
            .Select(g => (Lr: g.Key, Verdict: RunStatuses.Verdict(g.Select(r => r.Status)), Converged: Converged(g.Key, g)))
            .ToList();
        var minUnstable = rates.Where(r => r.Verdict == false).Select(r => (double?)r.Lr).FirstOrDefault();
        var maxStable = rates.Where(r => r.Verdict == true && (minUnstable is null || r.Lr < minUnstable)).Select(r => (double?)r.Lr).LastOrDefault();
        var converged = RateRuns.ConvergedAround([.. rates.Select(r => r.Converged)]);
        RunPoint? best = points.Where(r => r.Status == RunStatus.Converged).OrderBy(r => r.ConvergedAtStep).ThenBy(r => r.LearningRate).Cast<RunPoint?>().FirstOrDefault()
            ?? points.Where(r => r.Status.IsStable()).OrderBy(r => r.FinalLoss).ThenBy(r => r.LearningRate).Cast<RunPoint?>().FirstOrDefault();
        var crit = group.Figures.LrCrit;
        var grid = points.Where(r => !r.Refinement).Select(r => r.LearningRate).DefaultIfEmpty().ToList();
        var sharpness = SharpnessEdge.Statement(group, maxStable, minUnstable);
        return new GroupSummary
        {
            GroupId = group.GroupId,
            Setting = group.Setting,
            Figures = group.Figures,
            Runs = points.Count,
            RefinementRuns = points.Count(r => r.Refinement),
            Seeds = points.Select(r => r.Seed).Distinct().Count(),
            Diverged = points.Count(r => r.Status == RunStatus.Diverged),
            Failed = points.Count(r => r.Status == RunStatus.Failed),
            Uninformative = points.All(r => r.Status == RunStatus.Uninformative),
            MaxStableLr = maxStable,
            MinUnstableLr = minUnstable,
            EdgeRatio = maxStable is not null && crit is { } c && group.Setting.Clip is null ? maxStable / c : null,
            EdgeBeyondGrid = maxStable > grid.Max() ? "above" : minUnstable < grid.Min() ? "below" : null,
            MinConvergedLr = converged?.Low,
            MaxConvergedLr = converged?.High,
            BestLr = best?.LearningRate,
            BestFinalLoss = best?.FinalLoss,
            BestFinalLossOriginal = best?.FinalLossOriginal,
            BestConvergedAtStep = best?.ConvergedAtStep,
            Sharpness0 = SharpnessEdge.Sharpness0(group),
            SharpnessStatement = sharpness?.Text,
            SharpnessVerdict = sharpness?.Short,
        };
    }

    /// <summary>Whether every run at one rate converged, and the most steps one took.</summary>
    private static RateResult Converged(double lr, IEnumerable<RunPoint> runs)
    {
        var slowest = 0;
        foreach (var run in runs)
        {
            if (run.Status != RunStatus.Converged)
            {
                return new RateResult(lr, false);
            }

            slowest = Math.Max(slowest, run.ConvergedAtStep ?? 0);
        }

        return new RateResult(lr, true, slowest);
    }

    /// <summary>Per setting, the learning rates stable (and converged) on every dataset at once.</summary>
    private static List<TransferSummary> Transfer(IReadOnlyList<GroupRuns> groups) =>
        [.. groups.GroupBy(g => g.Setting.WithoutDataset).Select(s => TransferOf(s.Key, [.. s]))];

    private static TransferSummary TransferOf(Setting setting, List<GroupRuns> groups)
    {
        var datasets = groups.Select(g => g.Setting.Dataset).Distinct().ToList();

        // Only rates tried on every dataset can answer "one rate for all".
        var byRate = groups
            .SelectMany(g => g.Points.Select(p => (g.Setting.Dataset, Point: p)))
            .GroupBy(x => x.Point.LearningRate)
            .Where(r => r.Select(x => x.Dataset).Distinct().Count() == datasets.Count)
            .OrderBy(r => r.Key)
            .Select(r => (
                Stable: new RateResult(r.Key, r.GroupBy(x => x.Dataset).All(d => RunStatuses.Verdict(d.Select(x => x.Point.Status)) == true)),
                Converged: Converged(r.Key, r.Select(x => x.Point))))
            .ToList();
        var stable = RateRuns.Longest([.. byRate.Select(r => r.Stable)]);
        var converged = RateRuns.ConvergedAround([.. byRate.Select(r => r.Converged)]);
        return new TransferSummary
        {
            Setting = setting,
            Datasets = datasets.Count,
            StableLow = stable?.Low,
            StableHigh = stable?.High,
            ConvergedLow = converged?.Low,
            ConvergedHigh = converged?.High,
            Statement = Statement(datasets.Count, stable, converged),
        };
    }

    /// <summary>The transfer answer in words; over one dataset it asks nothing across datasets.</summary>
    private static string Statement(int datasets, (double Low, double High)? stable, (double Low, double High)? converged)
    {
        var ci = CultureInfo.InvariantCulture;
        var on = datasets == 1 ? "" : $" on all {Plural.Of(datasets, "dataset")}";
        return stable is not { } s
            ? $"no learning rate tried is stable{on}"
            : converged is not { } c
                ? string.Create(ci, $"stable{on} for lr in [{s.Low:G4}, {s.High:G4}], but no rate converged{(datasets == 1 ? "" : " on all")}")
                : string.Create(ci, $"stable{on} for lr in [{s.Low:G4}, {s.High:G4}]; converged{(datasets == 1 ? "" : " on all")} for lr in [{c.Low:G4}, {c.High:G4}]");
    }
}
