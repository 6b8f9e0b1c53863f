using System.Globalization;
using System.Text;
using GdSweeps.Grid;
using GdSweeps.Plan;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Training;
using Serilog;

namespace GdSweeps.Pipeline;

/// <summary>
/// Puts a sharded sweep together: checks that the shards in a folder hold every batch of the config they recorded, then
/// finishes it.
/// </summary>
internal static class Merge
{
    /// <summary>
    /// The folder's runs are incomplete or it is not a sweep's folder; the message says what is missing.
    /// </summary>
    public sealed class MergeException(string message, bool badInput) : Exception(message)
    {
        /// <summary>The folder is not a results folder at all (rather than an unfinished one).</summary>
        public bool BadInput { get; } = badInput;
    }

    /// <exception cref="MergeException">No manifest, manifests of different configs, or runs missing (naming the
    /// shards).</exception>
    public static async Task<(ReportFiles Reports, long Runs)> RunAsync(string directory, int threads, CancellationToken ct)
    {
        var manifests = new List<Manifest>();
        foreach (var path in Directory.Exists(directory) ? Directory.GetFiles(directory, "manifest*.json").Order(StringComparer.Ordinal).ToArray() : [])
        {
            try
            {
                manifests.Add(Manifest.Read(path)!);
            }
            catch (InvalidDataException e)
            {
                throw new MergeException($"{e.Message}; rerun the shard that wrote it", badInput: false);
            }
        }

        if (manifests.Count == 0)
        {
            throw new MergeException($"{directory} holds no manifest; it is not a sweep's results folder.", badInput: true);
        }

        // A manifest holds the config it ran by its text and that text's hash: one that does not match was edited.
        foreach (var m in manifests.Where(m => SweepSession.Hash(m.ConfigText) != m.ConfigHash))
        {
            throw new MergeException($"the manifest of {m.Shard ?? "the sweep"} in {directory} holds a config whose text does not match its hash (it was edited); rerun that shard.", badInput: true);
        }

        var first = manifests[0];
        if (manifests.Any(m => m.Kernel != first.Kernel))
        {
            throw new MergeException($"the shards in {directory} ran with different kernels (--per-sample on some only); rerun them with one.", badInput: false);
        }

        if (manifests.Any(m => m.ConfigHash != first.ConfigHash))
        {
            throw new MergeException($"the manifests in {directory} were written from different configs; rerun the shards with one config.", badInput: false);
        }

        if (manifests.Select(m => m.BatchSize).Distinct().Count() > 1)
        {
            throw new MergeException($"the shards in {directory} were cut into parts of different sizes (--runs-per-part); rerun them with one.", badInput: false);
        }

        var plan = Rebuild.PlanOf(first, ct); // with the shards' kernel: their run ids hold it

        var grid = new SweepGrid(plan);
        using var folder = ResultFolder.Open(directory);
        var parts = await Parts.ScanAsync(folder, RunSchema.For(plan.Config), w => Log.Warning("{Warning}", w), ct);
        var tally = new Tally(null, grid.Count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var trainer = await TrainerSetup.CreateAsync(plan, folder, threads, stop);
        var session = new Session(plan, folder, parts, new RunOptions(threads, first.BatchSize), tally, trainer);
        try
        {
            session.CheckGrid(grid);
        }
        catch (MissingRunsException e)
        {
            var text = new StringBuilder(e.Message);
            var counts = manifests.Select(m => m.ShardCount).OfType<int>().Distinct().ToList();
            if (counts is [var n])
            {
                var shards = e.Batches.Select(b => (b % n) + 1).Distinct().Order();
                text.Append(CultureInfo.InvariantCulture, $"; missing or unfinished shards: {string.Join(", ", shards.Select(k => $"{k}/{n}"))}");
            }

            text.Append(CultureInfo.InvariantCulture, $"; first missing runs: {string.Join(", ", e.First.Select(r => $"#{r.Index} ({r.Id})"))}");
            throw new MergeException(text.ToString(), badInput: false);
        }

        var (reports, files) = await session.FinishAsync(ct);
        await (first with
        {
            State = "complete", Shard = null, ShardIndex = null, ShardCount = null, Ended = DateTimeOffset.UtcNow, Runs = grid.Count, Reused = grid.Count, Computed = 0,
            BatchSize = first.BatchSize, GridParts = session.GridParts, Statuses = reports.Analysis.Counts.ToDictionary(kv => kv.Key.Name(), kv => kv.Value), Files = files,
        }).WriteAsync(folder, null, ct);
        return (reports, grid.Count);
    }
}
