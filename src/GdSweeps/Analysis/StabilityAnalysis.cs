using System.Globalization;
using GdSweeps.Results;

namespace GdSweeps.Analysis;

/// <summary>Reduces stored runs to per-group stable ranges and per-setting transfer intervals; reads nothing but the rows it is given.</summary>
public static class StabilityAnalysis
{
    public static List<GroupSummary> Summarize(IEnumerable<RunRecord> runs) => Summarize(Collect(runs));

    public static List<TransferSummary> Transfer(IEnumerable<RunRecord> runs) => Transfer(Collect(runs));

    public static List<GroupRuns> Collect(IEnumerable<RunRecord> runs)
    {
        var collector = new GroupCollector();
        collector.AddRange(runs);
        return collector.Groups;
    }

    public static List<GroupSummary> Summarize(IReadOnlyList<GroupRuns> groups) => groups.Select(Summarize).ToList();

    /// <summary>Whether every run at a learning rate stayed finite (true), some ran away (false), or none says (null), from their statuses.</summary>
    public static bool? Verdict(IEnumerable<string> statusesAtOneRate)
    {
        var statuses = statusesAtOneRate.ToList();
        if (statuses.Any(IsUnstable))
        {
            return false;
        }

        return statuses.Any(IsFinite) ? true : null;
    }

    public static bool IsUnstable(string status) => status is "diverged" or "diverging";

    public static bool IsFinite(string status) => status is "converged" or "oscillating" or "stalled" or "clip-bound";

    private static GroupSummary Summarize(GroupRuns group)
    {
        var first = group.First;
        var points = group.Points;
        var rates = points.GroupBy(r => r.LearningRate).OrderBy(g => g.Key)
            .Select(g => (Lr: g.Key, Verdict: Verdict(g.Select(r => r.Status)), AllConverged: g.All(r => r.Status == "converged")))
            .ToList();
        var minUnstable = rates.Where(r => r.Verdict == false).Select(r => (double?)r.Lr).FirstOrDefault();
        var maxStable = rates.Where(r => r.Verdict == true && (minUnstable is null || r.Lr < minUnstable)).Select(r => (double?)r.Lr).LastOrDefault();
        var converged = rates.Where(r => r.AllConverged).Select(r => r.Lr).ToList();
        RunPoint? best = points.Where(r => r.Status == "converged").OrderBy(r => r.ConvergedAtStep).ThenBy(r => r.LearningRate).Cast<RunPoint?>().FirstOrDefault()
            ?? points.Where(r => IsFinite(r.Status)).OrderBy(r => r.FinalLoss).ThenBy(r => r.LearningRate).Cast<RunPoint?>().FirstOrDefault();
        return new GroupSummary
        {
            GroupId = first.GroupId,
            Dataset = first.Dataset,
            Samples = first.Samples,
            Features = first.Features,
            Transform = first.Transform,
            Model = first.Model,
            Loss = first.Loss,
            Optimizer = first.OptimizerLabel,
            Schedule = first.Schedule,
            Clip = first.Clip,
            ClipMode = first.ClipMode,
            W0 = first.W0Label,
            B0 = first.B0,
            Steps = first.Steps,
            Runs = points.Count,
            RefinementRuns = points.Count(r => r.Refinement),
            Seeds = points.Select(r => r.Seed).Distinct().Count(),
            Diverged = points.Count(r => r.Status == "diverged"),
            Failed = points.Count(r => r.Status == "failed"),
            Uninformative = points.All(r => r.Status == "uninformative"),
            InitialGradient = first.InitialGradient,
            LambdaMax = first.LambdaMax,
            LambdaMin = first.LambdaMin,
            ConditionNumber = first.ConditionNumber,
            LrCrit = first.LrCrit,
            MaxStableLr = maxStable,
            MinUnstableLr = minUnstable,
            EdgeRatio = maxStable is not null && first.LrCrit is { } crit && first.Clip is null ? maxStable / crit : null,
            MinConvergedLr = converged.Count > 0 ? converged[0] : null,
            MaxConvergedLr = converged.Count > 0 ? converged[^1] : null,
            BestLr = best?.LearningRate,
            BestFinalLoss = best?.FinalLoss,
            BestFinalLossOriginal = best?.FinalLossOriginal,
            BestConvergedAtStep = best?.ConvergedAtStep,
        };
    }

    /// <summary>Per setting, the learning rates stable (and converged) on every dataset at once.</summary>
    public static List<TransferSummary> Transfer(IReadOnlyList<GroupRuns> groups) =>
        groups.GroupBy(g => (g.First.Transform, g.First.Model, g.First.Loss, g.First.OptimizerLabel, g.First.Schedule, g.First.Clip, g.First.ClipMode, g.First.W0Label, g.First.B0, g.First.Steps))
            .Select(s => TransferOf(s.ToList()))
            .ToList();

    private static TransferSummary TransferOf(List<GroupRuns> setting)
    {
        var first = setting[0].First;
        var datasets = setting.Select(g => g.First.Dataset).Distinct().ToList();

        // Only rates tried on every dataset can answer "one rate for all".
        var byRate = setting
            .SelectMany(g => g.Points.Select(p => (g.First.Dataset, Point: p)))
            .GroupBy(x => x.Point.LearningRate)
            .Where(r => r.Select(x => x.Dataset).Distinct().Count() == datasets.Count)
            .OrderBy(r => r.Key)
            .Select(r => (Lr: r.Key,
                Stable: r.GroupBy(x => x.Dataset).All(d => Verdict(d.Select(x => x.Point.Status)) == true),
                Converged: r.All(x => x.Point.Status == "converged")))
            .ToList();
        var stable = LongestRun(byRate.Select(r => (r.Lr, r.Stable)).ToList());
        var converged = LongestRun(byRate.Select(r => (r.Lr, r.Converged)).ToList());
        var ci = CultureInfo.InvariantCulture;
        var statement = stable is null
            ? $"no learning rate tried is stable on all {datasets.Count} datasets"
            : converged is null
                ? string.Create(ci, $"stable on all {datasets.Count} datasets for lr in [{stable.Value.Low:G4}, {stable.Value.High:G4}], but no rate converged on all")
                : string.Create(ci, $"stable on all {datasets.Count} datasets for lr in [{stable.Value.Low:G4}, {stable.Value.High:G4}]; converged on all for lr in [{converged.Value.Low:G4}, {converged.Value.High:G4}]");
        return new TransferSummary
        {
            Transform = first.Transform,
            Model = first.Model,
            Loss = first.Loss,
            Optimizer = first.OptimizerLabel,
            Schedule = first.Schedule,
            Clip = first.Clip,
            ClipMode = first.ClipMode,
            W0 = first.W0Label,
            B0 = first.B0,
            Steps = first.Steps,
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
