using GdSweeps.Results;

namespace GdSweeps.Analysis;

/// <summary>Reduces stored runs to one <see cref="GroupSummary"/> per group; reads nothing but the rows it is given.</summary>
public static class StabilityAnalysis
{
    public static List<GroupSummary> Summarize(IEnumerable<RunRecord> runs) =>
        runs.GroupBy(r => (r.Dataset, r.Transform, r.Clip, r.W0, r.Steps))
            .OrderBy(g => g.Min(r => r.RunIndex)) // the config's order
            .Select(g => Summarize(g.OrderBy(r => r.LearningRate).ToList()))
            .ToList();

    /// <param name="group">Runs of one group, sorted by learning rate.</param>
    private static GroupSummary Summarize(List<RunRecord> group)
    {
        var first = group[0];
        var diverged = group.Where(IsDiverged).ToList();
        var converged = group.Where(r => r.Status == "converged").ToList();
        var minDiverged = diverged.Count > 0 ? diverged.Min(r => r.LearningRate) : (double?)null;
        var stable = group.Where(r => !IsDiverged(r) && (minDiverged is null || r.LearningRate < minDiverged)).ToList();
        var best = converged.OrderBy(r => r.ConvergedAtStep).ThenBy(r => r.LearningRate).FirstOrDefault()
            ?? group.Where(r => !IsDiverged(r)).OrderBy(r => r.FinalLoss).ThenBy(r => r.LearningRate).FirstOrDefault();
        return new GroupSummary
        {
            Dataset = first.Dataset,
            Samples = first.Samples,
            Transform = first.Transform,
            Clip = first.Clip,
            W0 = first.W0,
            Steps = first.Steps,
            LambdaMax = first.LambdaMax,
            LrCrit = first.LrCrit,
            WStar = first.WStar,
            InitialGradient = first.InitialGradient,
            Runs = group.Count,
            Diverged = diverged.Count,
            Uninformative = group.All(r => r.Status == "uninformative"),
            MaxStableLr = stable.Count > 0 ? stable.Max(r => r.LearningRate) : null,
            MinDivergedLr = minDiverged,
            MinConvergedLr = converged.Count > 0 ? converged.Min(r => r.LearningRate) : null,
            MaxConvergedLr = converged.Count > 0 ? converged.Max(r => r.LearningRate) : null,
            BestLr = best?.LearningRate,
            BestFinalLoss = best?.FinalLoss,
            BestConvergedAtStep = best?.ConvergedAtStep,
        };
    }

    private static bool IsDiverged(RunRecord r) => r.Status == "diverged";
}
