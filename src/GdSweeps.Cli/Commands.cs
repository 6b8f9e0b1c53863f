using System.Globalization;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Training;

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
        var transfer = StabilityAnalysis.Transfer(runs);
        var counts = RunStatusNames.All.ToDictionary(s => s, s => (long)runs.Count(r => r.Status == s));
        var path = Path.Combine(directory, MarkdownReport.FileName);
        var temp = path + $".tmp-{Environment.ProcessId}";
        await File.WriteAllTextAsync(temp, MarkdownReport.Render(sweepName, groups, transfer, counts), ct);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>The axes of a config, its run count, and the first runs when <paramref name="listRuns"/> is above 0.</summary>
    public static string Describe(SweepConfig config, int listRuns = 0)
    {
        var text = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        static string R(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        void Axis(string name, IEnumerable<string> values)
        {
            var list = values.ToList();
            var shown = list.Count > 8 ? string.Join(", ", list.Take(4)) + ", ..., " + list[^1] : string.Join(", ", list);
            text.AppendLine(ci, $"  {name} ({list.Count}): {shown}");
        }

        var runs = SweepGrid.Count(config);
        text.AppendLine(ci, $"sweep {config.Name}: {runs} runs");
        Axis("datasets", config.Datasets.Select(d => $"{d.Name} (n={d.Count}, d={d.Features})"));
        Axis("transforms", config.Transforms.Select(t => t.Label));
        Axis("model", config.Models.Select(SweepGrid.ModelName));
        Axis("loss", config.Losses.Select(l => l.Label));
        Axis("w0", config.W0.Select(w => w.Label));
        Axis("b0", config.B0.Select(R));
        Axis("optimizer", config.Optimizers.Select(o => o.Label));
        Axis("schedule", config.Schedules.Select(s => s.Label));
        Axis("steps", config.Steps.Select(s => s.ToString(ci)));
        Axis("clip", config.Clips.Select(c => c?.Label ?? "none"));
        Axis("seeds", config.Seeds.Select(s => s.ToString(ci)));
        Axis("learning_rates", config.LearningRates.Select(R));
        foreach (var zip in config.Zips)
        {
            text.AppendLine(ci, $"  zip: {string.Join(" with ", zip)}");
        }

        if (config.Excludes.Count > 0)
        {
            text.AppendLine(ci, $"  exclude: {config.Excludes.Count} rule(s)");
        }

        foreach (var warning in Warnings(config))
        {
            text.AppendLine(ci, $"warning: {warning}");
        }

        if (listRuns > 0)
        {
            text.AppendLine(ci, $"first {Math.Min(listRuns, runs)} runs:");
            foreach (var run in SweepGrid.Runs(config).Take(listRuns))
            {
                text.AppendLine(ci, $"  {run.Index,6} {run.RunId} {run.Problem.Dataset.Name} {run.Problem.Transform.Label} {SweepGrid.ModelName(run.Problem.Model)} {run.Problem.Loss.Label} w0={run.Init.Label} {run.Optimizer.Label} lr={R(run.LearningRate)} clip={run.Clip?.Label ?? "none"} steps={run.Steps} seed={run.Seed}");
            }
        }

        return text.ToString();
    }

    /// <summary>Problems that are not errors: where the learning-rate grid cannot show the stable range.</summary>
    public static IEnumerable<string> Warnings(SweepConfig config)
    {
        var low = config.LearningRates.Min();
        var high = config.LearningRates.Max();
        foreach (var problem in config.Problems)
        {
            if (problem.LrCritGd is { } crit && (crit < low || crit > high))
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"learning rates {low:G4} to {high:G4} do not bracket lr_crit = {crit:G4} of dataset '{problem.Dataset.Name}' under '{problem.Transform.Label}' ({SweepGrid.ModelName(problem.Model)}): its stable range cannot be seen");
            }
        }
    }
}
