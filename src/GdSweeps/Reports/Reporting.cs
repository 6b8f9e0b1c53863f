using GdSweeps.Analysis;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>Builds everything downstream of <c>runs.parquet</c>: the summary and transfer tables and the reports, from the stored files alone.</summary>
public static class Reporting
{
    /// <summary>Reads <c>runs.parquet</c> in <paramref name="directory"/> and writes the summaries and reports; returns the Markdown report's path.</summary>
    public static async Task<string> WriteAllAsync(string directory, string sweepName, CancellationToken ct)
    {
        var runs = await RunsFile.ReadAsync(Path.Combine(directory, RunsFile.FileName), ct);
        var groups = StabilityAnalysis.Summarize(runs);
        var transfer = StabilityAnalysis.Transfer(runs);
        var counts = RunStatusNames.All.ToDictionary(s => s, s => (long)runs.Count(r => r.Status == s));
        await SummaryFiles.WriteSummaryAsync(Path.Combine(directory, SummaryFiles.SummaryFileName), groups, ct);
        await SummaryFiles.WriteTransferAsync(Path.Combine(directory, SummaryFiles.TransferFileName), transfer, ct);
        var report = Path.Combine(directory, MarkdownReport.FileName);
        await AtomicFile.WriteTextAsync(report, MarkdownReport.Render(sweepName, groups, transfer, counts), ct);
        return report;
    }
}
