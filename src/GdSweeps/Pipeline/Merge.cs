using System.Globalization;
using System.Text;
using GdSweeps.Grid;
using GdSweeps.Plan;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Running;

namespace GdSweeps.Pipeline;

/// <summary>Puts a sharded sweep together: checks that the shards in a folder hold every run of the config they recorded, then finishes it.</summary>
public static class Merge
{
    /// <summary>The folder's runs are incomplete or it is not a sweep's folder; the message says what is missing.</summary>
    public sealed class MergeException(string message, bool badInput) : Exception(message)
    {
        /// <summary>The folder is not a results folder at all (rather than an unfinished one).</summary>
        public bool BadInput { get; } = badInput;
    }

    /// <exception cref="MergeException">No manifest, manifests of different configs, or runs missing (naming the shards).</exception>
    public static async Task<(ReportFiles Reports, long Runs)> RunAsync(string directory, int threads, CancellationToken ct)
    {
        var manifests = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "manifest*.json").Select(Manifest.Read).OfType<Manifest>().ToList()
            : [];
        if (manifests.Count == 0)
        {
            throw new MergeException($"{directory} holds no manifest; it is not a sweep's results folder.", badInput: true);
        }

        var first = manifests[0];
        if (manifests.Any(m => m.ConfigHash != first.ConfigHash))
        {
            throw new MergeException($"the manifests in {directory} were written from different configs; rerun the shards with one config.", badInput: false);
        }

        var plan = SweepPlan.Parse(first.ConfigText, first.ConfigPathResolved);
        var index = new GridIndex(forRefinement: plan.Config.Refine is not null);
        foreach (var _ in index.Record(new SweepGrid(plan).Runs()))
        {
        }

        try
        {
            using var store = ResultStore.Open(directory);
            var reports = await SweepSession.FinishAsync(plan, index, store, threads, ct);
            return (reports, index.Ids.Count);
        }
        catch (MissingRunsException e)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{e.Missing.Count} of {e.GridIds.Count} runs are not stored in {directory}");
            var shardCounts = manifests.Select(m => m.ShardCount).OfType<int>().Distinct().ToList();
            if (shardCounts is [var n])
            {
                var missingShards = e.Missing.Select(i => ShardOf(e.GridIds[(int)i], n)).Distinct().Order();
                text.Append(CultureInfo.InvariantCulture, $"; missing or unfinished shards: {string.Join(", ", missingShards.Select(k => $"{k}/{n}"))}");
            }

            text.Append(CultureInfo.InvariantCulture, $"; first missing runs: {string.Join(", ", e.Missing.Take(5).Select(i => $"#{i} ({e.GridIds[(int)i]})"))}");
            throw new MergeException(text.ToString(), badInput: false);
        }
    }

    private static int ShardOf(RunId runId, int count) =>
        Enumerable.Range(1, count).FirstOrDefault(k => new Shard(k, count).Owns(runId));
}
