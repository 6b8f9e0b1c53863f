using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>What the reports were made of, and where they are.</summary>
public sealed record ReportFiles(string Markdown, string Html, SweepAnalysis Analysis);

/// <summary>Builds everything downstream of <c>runs.parquet</c>: the summary and transfer tables and the reports, from the stored files alone.</summary>
public static class Reporting
{
    /// <summary>Reads <c>runs.parquet</c> in <paramref name="directory"/> and writes the summaries and both reports.</summary>
    /// <remarks>Rows are read one row group at a time and kept only as <see cref="RunPoint"/>s, so memory stays small for a million runs.</remarks>
    public static async Task<ReportFiles> WriteAllAsync(string directory, string sweepName, CancellationToken ct)
    {
        var collector = new GroupCollector();
        var runsPath = Path.Combine(directory, RunsFile.FileName);
        await using (var stream = File.OpenRead(runsPath))
        {
            await RunsFile.Table.ForEachRowGroupAsync(stream, chunk =>
            {
                collector.Add(chunk, runsPath);
                return Task.CompletedTask;
            }, GroupCollector.Columns, ct);
        }

        var analysis = StabilityAnalysis.Analyze(collector.Groups);
        await SummaryFiles.WriteSummaryAsync(Path.Combine(directory, SummaryFiles.SummaryFileName), analysis.Summaries, ct);
        await SummaryFiles.WriteTransferAsync(Path.Combine(directory, SummaryFiles.TransferFileName), analysis.Transfer, ct);
        var markdown = Path.Combine(directory, MarkdownReport.FileName);
        await AtomicFile.WriteTextAsync(markdown, MarkdownReport.Render(sweepName, analysis), ct);

        var edges = EdgeRuns(analysis);
        var wanted = edges.SelectMany(e => e.Runs).Select(r => r.Id).ToHashSet();
        var curves = await CurvesFile.ReadForRunsAsync(Path.Combine(directory, CurvesFile.FileName), wanted, ct);
        var panels = edges.Select(e => new EdgePanel(e.Group, [.. e.Runs.Select(r => (r, (IReadOnlyList<(int Step, double Loss)>)curves.GetValueOrDefault(r.Id, [])))])).ToList();
        var html = Path.Combine(directory, HtmlReport.FileName);
        await AtomicFile.WriteTextAsync(html, HtmlReport.Render(sweepName, analysis, panels), ct);
        return new ReportFiles(markdown, html, analysis);
    }

    /// <summary>At most this many loss-curve panels, so a huge sweep's page stays readable; the caption says how many were left out.</summary>
    public const int MaxPanels = 24;

    /// <summary>Every group with a measured edge (clipped, adaptive and momentum groups too) in the config's order, each with the two rates just below it and the two just above.</summary>
    private static List<(GroupSummary Group, List<RunPoint> Runs)> EdgeRuns(SweepAnalysis analysis)
    {
        var byGroup = analysis.Groups.ToDictionary(g => g.GroupId);
        return analysis.Summaries.Where(HasEdge)
            .Take(MaxPanels)
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

    /// <summary>The group has both a largest stable and a first unstable rate: an edge to draw the runs around.</summary>
    public static bool HasEdge(GroupSummary g) => g.MaxStableLr is not null && g.MinUnstableLr is not null;
}

/// <summary>One panel of the loss-curve figure: a group and the runs around its edge, each with its curve.</summary>
public sealed record EdgePanel(GroupSummary Group, IReadOnlyList<(RunPoint Run, IReadOnlyList<(int Step, double Loss)> Curve)> Runs);
