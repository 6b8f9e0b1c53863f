using System.Globalization;
using System.Text;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Training;

namespace GdSweeps.Cli;

/// <summary>The steps behind the commands that are more than wiring.</summary>
internal static class Commands
{
    public static async Task<int> ReportAsync(string directory, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(directory, RunsFile.FileName)))
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {Path.Combine(directory, RunsFile.FileName)} does not exist; run the sweep (or merge its shards) first.");
            return Cli.BadInput;
        }

        var report = await Reporting.WriteAllAsync(directory, SweepName(directory), ct);
        await Console.Out.WriteLineAsync(report);
        return Cli.Ok;
    }

    /// <summary>Checks the stored parts against the config recorded in the folder, then consolidates and reports.</summary>
    public static async Task<int> MergeAsync(string directory, CancellationToken ct)
    {
        var manifests = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "manifest*.json").Select(Manifest.Read).OfType<Manifest>().ToList()
            : [];
        if (manifests.Count == 0)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {directory} holds no manifest; it is not a sweep's results folder.");
            return Cli.BadInput;
        }

        var first = manifests[0];
        if (manifests.Any(m => m.ConfigHash != first.ConfigHash))
        {
            await Console.Error.WriteLineAsync($"gdsweeps: the manifests in {directory} were written from different configs; rerun the shards with one config.");
            return Cli.Failure;
        }

        var config = ConfigLoader.Parse(first.ConfigText, first.ConfigPathResolved);
        try
        {
            using var store = ResultStore.Open(directory);
            var (report, _) = await SweepSession.FinishAsync(config, store, Environment.ProcessorCount, ct);
            await Console.Out.WriteLineAsync($"merged {SweepGrid.Count(config)} runs into {Path.Combine(directory, RunsFile.FileName)}; report: {report}");
            return Cli.Ok;
        }
        catch (MissingRunsException e)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"gdsweeps: {e.Missing.Count} of {e.GridIds.Count} runs are not stored in {directory}");
            var shardCounts = manifests.Select(m => m.Shard).OfType<string>().Select(ShardCount).Distinct().ToList();
            if (shardCounts.Count == 1)
            {
                var n = shardCounts[0];
                var missingShards = e.Missing.Select(i => ShardOf(e.GridIds[(int)i], n)).Distinct().Order();
                text.Append(CultureInfo.InvariantCulture, $"; missing or unfinished shards: {string.Join(", ", missingShards.Select(k => $"{k}/{n}"))}");
            }

            text.Append(CultureInfo.InvariantCulture, $"; first missing runs: {string.Join(", ", e.Missing.Take(5).Select(i => $"#{i} ({e.GridIds[(int)i]})"))}");
            await Console.Error.WriteLineAsync(text.ToString());
            return Cli.Failure;
        }
    }

    private static int ShardCount(string shardName) =>
        int.Parse(shardName[(shardName.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    private static int ShardOf(string runId, int count)
    {
        for (var k = 1; k <= count; k++)
        {
            if (new Shard(k, count).Owns(runId))
            {
                return k;
            }
        }

        return 0;
    }

    private static string SweepName(string directory) =>
        Manifest.Read(Path.Combine(directory, Manifest.FileName))?.Sweep
        ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));

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
