using GdSweeps.Analysis;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>Builds everything downstream of <c>runs.parquet</c>: the summary and transfer tables and the reports, from the stored files alone.</summary>
public static class Reporting
{
    /// <summary>Reads <c>runs.parquet</c> in <paramref name="directory"/> and writes the summaries and reports; returns the Markdown report's path.</summary>
    public static async Task<string> WriteAllAsync(
        string directory, string sweepName, CancellationToken ct, (IReadOnlyList<RunRecord> Runs, IReadOnlyList<CurveRow>? Curves)? held = null) =>
        (await WriteAllWithCountsAsync(directory, sweepName, ct, held)).Report;

    /// <summary>The same, also returning how many runs ended in each status.</summary>
    /// <param name="held">The consolidated rows and curves when the caller still holds them (they are read from the files otherwise).</param>
    /// <remarks>Rows are read one row group at a time and kept only as <see cref="RunPoint"/>s, so memory stays small for a million runs.</remarks>
    public static async Task<(string Report, Dictionary<string, long> Statuses)> WriteAllWithCountsAsync(
        string directory, string sweepName, CancellationToken ct, (IReadOnlyList<RunRecord> Runs, IReadOnlyList<CurveRow>? Curves)? held = null)
    {
        var collector = new GroupCollector();
        if (held is { } h)
        {
            collector.AddRange(h.Runs);
        }
        else
        {
            await RunsFile.ForEachRowGroupAsync(Path.Combine(directory, RunsFile.FileName), collector.AddRange, ct);
        }

        var runs = collector.Groups;
        var groups = StabilityAnalysis.Summarize(runs);
        var transfer = StabilityAnalysis.Transfer(runs);
        var counts = RunStatusNames.All.ToDictionary(s => s, s => (long)runs.Sum(g => g.Points.Count(p => p.Status == s)));
        await SummaryFiles.WriteSummaryAsync(Path.Combine(directory, SummaryFiles.SummaryFileName), groups, ct);
        await SummaryFiles.WriteTransferAsync(Path.Combine(directory, SummaryFiles.TransferFileName), transfer, ct);
        var report = Path.Combine(directory, MarkdownReport.FileName);
        await AtomicFile.WriteTextAsync(report, MarkdownReport.Render(sweepName, groups, transfer, counts), ct);

        var byGroup = runs.ToDictionary(g => g.First.GroupId);
        var edges = EdgeRuns(groups, byGroup);
        var wanted = edges.SelectMany(e => e.Runs).Select(r => r.RunId).ToHashSet();
        var curves = held?.Curves is { } all
            ? all.Where(c => wanted.Contains(c.RunId)).GroupBy(c => c.RunId).ToDictionary(g => g.Key, g => g.ToList())
            : await CurvesFile.ReadForRunsAsync(Path.Combine(directory, CurvesFile.FileName), wanted, ct);
        var panels = edges.Select(e => (e.Group, (IReadOnlyList<(RunPoint, IReadOnlyList<CurveRow>)>)e.Runs
            .Select(r => (r, (IReadOnlyList<CurveRow>)curves.GetValueOrDefault(r.RunId, []))).ToList())).ToList();
        await AtomicFile.WriteTextAsync(
            Path.Combine(directory, HtmlReport.FileName), HtmlReport.Render(sweepName, groups, transfer, counts, byGroup, panels), ct);
        return (report, counts);
    }

    /// <summary>Up to six groups with a measured edge (unclipped first, one per dataset and transform), each with the two rates just below it and the two just above.</summary>
    private static List<(GroupSummary Group, List<RunPoint> Runs)> EdgeRuns(List<GroupSummary> groups, Dictionary<string, GroupRuns> byGroup) =>
        groups.Where(g => g.MaxStableLr is not null && g.MinUnstableLr is not null)
            .OrderBy(g => g.Clip is null ? 0 : 1)
            .DistinctBy(g => (g.Dataset, g.Transform))
            .Take(6)
            .Select(g =>
            {
                var points = byGroup[g.GroupId].Points;
                var seed = points.Min(r => r.Seed);
                var ordered = points.Where(r => r.Seed == seed).OrderBy(r => r.LearningRate).ToList();
                var below = ordered.Where(r => r.LearningRate <= g.MaxStableLr).TakeLast(2);
                var above = ordered.Where(r => r.LearningRate >= g.MinUnstableLr).Take(2);
                return (g, below.Concat(above).ToList());
            })
            .ToList();
}
