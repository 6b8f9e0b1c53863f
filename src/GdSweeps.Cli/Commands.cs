using System.Globalization;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Configs;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Cli;

/// <summary>The steps behind the commands that are more than wiring.</summary>
internal static class Commands
{
    public static async Task<int> ReportAsync(string directory, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(directory, RunsFile.FileName)))
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {Path.Combine(directory, RunsFile.FileName)} does not exist; run a sweep first.");
            return Cli.BadInput;
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        var report = await WriteReportAsync(directory, name, ct);
        await Console.Out.WriteLineAsync(report);
        return Cli.Ok;
    }

    /// <summary>Reads <c>runs.parquet</c> back and writes the report from it alone; returns the report's path.</summary>
    public static async Task<string> WriteReportAsync(string directory, string sweepName, CancellationToken ct)
    {
        var runs = await RunsFile.ReadAsync(Path.Combine(directory, RunsFile.FileName), ct);
        var groups = StabilityAnalysis.Summarize(runs);
        var counts = Enum.GetValues<RunStatus>().Select(s => s.Name())
            .ToDictionary(s => s, s => (long)runs.Count(r => r.Status == s));
        var path = Path.Combine(directory, MarkdownReport.FileName);
        var temp = path + $".tmp-{Environment.ProcessId}";
        await File.WriteAllTextAsync(temp, MarkdownReport.Render(sweepName, groups, counts), ct);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    public static string Describe(SweepConfig config)
    {
        var text = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        text.AppendLine(ci, $"sweep {config.Name}: {config.RunCount} runs");
        text.AppendLine(ci, $"  datasets ({config.Datasets.Count}): {string.Join(", ", config.Datasets.Select(d => $"{d.Name} (n={d.Count})"))}");
        text.AppendLine(ci, $"  transforms ({config.Transforms.Count}): {string.Join(", ", config.Transforms.Select(Transform.Name))}");
        text.AppendLine(ci, $"  w0 ({config.W0.Count}): {string.Join(", ", config.W0.Select(v => v.ToString("G6", ci)))}");
        text.AppendLine(ci, $"  steps ({config.Steps.Count}): {string.Join(", ", config.Steps)}");
        text.AppendLine(ci, $"  clip ({config.Clips.Count}): {string.Join(", ", config.Clips.Select(c => c?.ToString("G6", ci) ?? "none"))}");
        text.AppendLine(ci, $"  learning_rates ({config.LearningRates.Count}): {config.LearningRates.Min().ToString("G4", ci)} to {config.LearningRates.Max().ToString("G4", ci)}");
        text.AppendLine(ci, $"  model {SweepConfig.Model}, loss {SweepConfig.Loss}, optimizer {SweepConfig.Optimizer}, kernel {config.Kernel}, curve {config.Curve}");
        return text.ToString();
    }
}
