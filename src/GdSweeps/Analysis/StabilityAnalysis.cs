using System.Globalization;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>Everything the reports show, computed from the stored runs alone.</summary>
public sealed record SweepAnalysis(
    IReadOnlyList<GroupRuns> Groups,
    IReadOnlyList<GroupSummary> Summaries,
    IReadOnlyList<TransferSummary> Transfer,
    IReadOnlyDictionary<RunStatus, long> Counts,
    SettingLabels Labels)
{
    public long Runs => Counts.Values.Sum();
}

/// <summary>Reduces stored runs to per-group stable ranges and per-setting transfer intervals; reads nothing but the groups it is given.</summary>
public static class StabilityAnalysis
{
    public static SweepAnalysis Analyze(IReadOnlyList<GroupRuns> groups) => new(
        groups,
        [.. groups.Select(Summarize)],
        Transfer(groups),
        RunStatuses.All.ToDictionary(s => s, s => (long)groups.Sum(g => g.Points.Count(p => p.Status == s))),
        new SettingLabels(groups.Select(g => g.Setting)));

    private static GroupSummary Summarize(GroupRuns group)
    {
        var points = group.Points;
        var rates = points.GroupBy(r => r.LearningRate).OrderBy(g => g.Key)
            .Select(g => (Lr: g.Key, Verdict: RunStatuses.Verdict(g.Select(r => r.Status)), AllConverged: g.All(r => r.Status == RunStatus.Converged)))
            .ToList();
        var minUnstable = rates.Where(r => r.Verdict == false).Select(r => (double?)r.Lr).FirstOrDefault();
        var maxStable = rates.Where(r => r.Verdict == true && (minUnstable is null || r.Lr < minUnstable)).Select(r => (double?)r.Lr).LastOrDefault();
        var converged = rates.Where(r => r.AllConverged).Select(r => r.Lr).ToList();
        RunPoint? best = points.Where(r => r.Status == RunStatus.Converged).OrderBy(r => r.ConvergedAtStep).ThenBy(r => r.LearningRate).Cast<RunPoint?>().FirstOrDefault()
            ?? points.Where(r => r.Status.IsStable()).OrderBy(r => r.FinalLoss).ThenBy(r => r.LearningRate).Cast<RunPoint?>().FirstOrDefault();
        var crit = group.Figures.LrCrit;
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
            MinConvergedLr = converged.Count > 0 ? converged[0] : null,
            MaxConvergedLr = converged.Count > 0 ? converged[^1] : null,
            BestLr = best?.LearningRate,
            BestFinalLoss = best?.FinalLoss,
            BestFinalLossOriginal = best?.FinalLossOriginal,
            BestConvergedAtStep = best?.ConvergedAtStep,
        };
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
            .Select(r => (Lr: r.Key,
                Stable: r.GroupBy(x => x.Dataset).All(d => RunStatuses.Verdict(d.Select(x => x.Point.Status)) == true),
                Converged: r.All(x => x.Point.Status == RunStatus.Converged)))
            .ToList();
        var stable = LongestRun([.. byRate.Select(r => (r.Lr, r.Stable))]);
        var converged = LongestRun([.. byRate.Select(r => (r.Lr, r.Converged))]);
        var ci = CultureInfo.InvariantCulture;
        var statement = stable is null
            ? $"no learning rate tried is stable on all {datasets.Count} datasets"
            : converged is null
                ? string.Create(ci, $"stable on all {datasets.Count} datasets for lr in [{stable.Value.Low:G4}, {stable.Value.High:G4}], but no rate converged on all")
                : string.Create(ci, $"stable on all {datasets.Count} datasets for lr in [{stable.Value.Low:G4}, {stable.Value.High:G4}]; converged on all for lr in [{converged.Value.Low:G4}, {converged.Value.High:G4}]");
        return new TransferSummary
        {
            Setting = setting,
            Datasets = datasets.Count,
            StableLow = stable?.Low,
            StableHigh = stable?.High,
            ConvergedLow = converged?.Low,
            ConvergedHigh = converged?.High,
            Statement = statement,
        };
    }

    /// <summary>The longest run of consecutive rates that pass (the higher one on a tie).</summary>
    private static (double Low, double High)? LongestRun(List<(double Lr, bool Pass)> rates)
    {
        (double Low, double High)? best = null;
        int bestLength = 0, start = -1;
        for (var i = 0; i <= rates.Count; i++)
        {
            if (i < rates.Count && rates[i].Pass)
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0 && i - start >= bestLength)
            {
                bestLength = i - start;
                best = (rates[start].Lr, rates[i - 1].Lr);
            }

            start = -1;
        }

        return best;
    }
}
