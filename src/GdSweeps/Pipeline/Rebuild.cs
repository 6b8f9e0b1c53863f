using GdSweeps.Reports;
using GdSweeps.Results;

namespace GdSweeps.Pipeline;

/// <summary><c>gdsweeps report</c>: the summaries and reports rebuilt from a folder's stored files alone.</summary>
public static class Rebuild
{
    /// <exception cref="FileNotFoundException">The folder holds no <c>runs.parquet</c>.</exception>
    public static Task<ReportFiles> ReportsAsync(string directory, CancellationToken ct)
    {
        var runs = Path.Combine(directory, RunsFile.FileName);
        if (!File.Exists(runs))
        {
            throw new FileNotFoundException($"{runs} does not exist; run the sweep (or merge its shards) first.", runs);
        }

        var name = Manifest.Read(Path.Combine(directory, Manifest.FileName))?.Sweep
            ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return Reporting.WriteAllAsync(directory, name, ct);
    }
}
