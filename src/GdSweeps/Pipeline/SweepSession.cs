using System.Security.Cryptography;
using System.Text;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Plan;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Training;
using Serilog;

namespace GdSweeps.Pipeline;

/// <summary>One invocation of a sweep, end to end: lock the folder, run what is missing, refine, consolidate, report, and keep the manifest true throughout.</summary>
public static class SweepSession
{
    /// <summary>What a session did.</summary>
    /// <param name="Complete">Every run of the grid is stored and the consolidated files and reports are written (always false for a shard).</param>
    public sealed record Outcome(SweepTotals Totals, bool Complete, IReadOnlyDictionary<RunStatus, long> Statuses, ReportFiles? Reports);

    public static async Task<Outcome> RunAsync(SweepPlan plan, string directory, RunOptions options, Action<long, long>? progress, CancellationToken ct)
    {
        var config = plan.Config;
        var grid = new SweepGrid(plan);
        using var store = ResultStore.Open(directory, options.Shard?.Name ?? "main");
        var manifestPath = Manifest.PathIn(directory, options.Shard?.Name);
        var manifest = new Manifest
        {
            State = "running",
            Sweep = config.Name,
            ToolVersion = Version,
            ConfigPath = config.SourcePath,
            ConfigPathResolved = Path.GetFullPath(config.SourcePath),
            ConfigHash = Hash(config.Text),
            ConfigText = config.Text,
            DataFiles = [.. config.DataFiles.Select(f => new Manifest.DataFile(f.Given, f.Resolved))],
            Shard = options.Shard?.Name,
            ShardIndex = options.Shard?.Index,
            ShardCount = options.Shard?.Count,
            Runs = 0,
            Reused = 0,
            Computed = 0,
            Started = DateTimeOffset.UtcNow,
        };
        await manifest.WriteAsync(manifestPath, CancellationToken.None);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var stored = await ResultStore.StoredStatusesAsync(directory, ct);
            var index = new GridIndex(forRefinement: Refines(config));
            var runs = index.Record(grid.Runs()).Where(r => options.Shard?.Owns(r.Id) ?? true);
            var expected = options.Shard is { } shard ? (grid.Count + shard.Count - 1) / shard.Count : grid.Count;
            var totals = await new SweepRunner(config, options).RunAsync(runs, stored.IsDone, expected, store, progress, ct);
            Log.Debug("Runs computed and stored in {Ms} ms", clock.ElapsedMilliseconds);
            manifest = manifest with { Runs = totals.Runs, Reused = totals.Reused, Computed = totals.Computed };
            if (options.Shard is not null)
            {
                await (manifest with { State = "complete", Ended = DateTimeOffset.UtcNow, Statuses = Names(totals.ComputedByStatus) }).WriteAsync(manifestPath, CancellationToken.None);
                return new Outcome(totals, false, Counts(totals.ComputedByStatus), null);
            }

            var reports = await FinishAsync(plan, index, store, options.Threads, ct);
            Log.Debug("Manifest written after {Ms} ms", clock.ElapsedMilliseconds);
            var counts = reports.Analysis.Counts;
            await (manifest with { State = "complete", Ended = DateTimeOffset.UtcNow, Statuses = counts.ToDictionary(kv => kv.Key.Name(), kv => kv.Value) })
                .WriteAsync(manifestPath, CancellationToken.None);
            return new Outcome(totals, true, counts, reports);
        }
        catch (OperationCanceledException)
        {
            await TryWriteAsync(manifest with { State = "interrupted", Ended = DateTimeOffset.UtcNow }, manifestPath);
            throw;
        }
        catch (Exception e)
        {
            await TryWriteAsync(manifest with { State = "failed", Ended = DateTimeOffset.UtcNow, Error = e.Message }, manifestPath);
            throw;
        }
    }

    /// <summary>
    /// Once every grid run is stored: refines the stability edges (computing the refinement runs not yet stored),
    /// consolidates the runs of the grid and the refinement, and writes the summaries and reports.
    /// </summary>
    /// <exception cref="MissingRunsException">Some grid runs are not stored (an unfinished shard).</exception>
    internal static async Task<ReportFiles> FinishAsync(SweepPlan plan, GridIndex grid, ResultStore store, int threads, CancellationToken ct)
    {
        var config = plan.Config;
        var directory = store.Directory;
        var statuses = await ResultStore.StoredStatusesAsync(directory, ct);
        var missing = grid.Ids.Select((id, i) => (id, i)).Where(x => !statuses.Contains(x.id)).Select(x => (long)x.i).ToList();
        if (missing.Count > 0)
        {
            throw new MissingRunsException(missing, grid.Ids);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refined = new List<RunSpec>();
        if (config.Refine is { } tolerance && Refines(config))
        {
            var runner = new SweepRunner(config, new RunOptions(threads));
            refined = await Refinement.RunAsync(tolerance, grid, statuses, async (runs, token) =>
            {
                var outcomes = new RunOutcome[runs.Count];
                Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = token },
                    i => outcomes[i] = runner.Train(runs[i]));
                await store.WriteAsync(runs, outcomes, CancellationToken.None);
                return [.. outcomes.Select(o => o.Status)];
            }, ct);
        }

        Log.Debug("Refinement: {Runs} runs in {Ms} ms", refined.Count, clock.ElapsedMilliseconds);
        var merged = await Consolidator.ConsolidateAsync(directory, [.. grid.Ids, .. refined.Select(r => r.Id)], ct);
        Log.Debug("Consolidated after {Ms} ms", clock.ElapsedMilliseconds);
        if (merged.Missing.Count > 0)
        {
            throw new InvalidOperationException($"{merged.Missing.Count} runs are missing after the sweep; rerun to finish them");
        }

        var reports = await Reporting.WriteAllAsync(directory, config.Name, ct);
        Log.Debug("Reports written after {Ms} ms", clock.ElapsedMilliseconds);
        return reports;
    }

    /// <summary>Refinement bisects the learning rate of each group, so it needs a learning-rate axis that moves alone.</summary>
    private static bool Refines(SweepConfig config) =>
        config.Refine is not null && !config.Zips.Any(z => z.Contains(SweepAxes.LearningRates.Name));

    /// <summary>The tool's version and the commit it was built from, e.g. <c>0.3.0+1a2b3c4</c>.</summary>
    public static string Version { get; } =
        typeof(SweepSession).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
        ?? typeof(SweepSession).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Dictionary<RunStatus, long> Counts(IReadOnlyList<long> byStatus) =>
        RunStatuses.All.ToDictionary(s => s, s => byStatus[(int)s]);

    private static Dictionary<string, long> Names(IReadOnlyList<long> byStatus) =>
        RunStatuses.All.ToDictionary(s => s.Name(), s => byStatus[(int)s]);

    private static async Task TryWriteAsync(Manifest manifest, string path)
    {
        try
        {
            await manifest.WriteAsync(path, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder cannot be written (full disk, read-only): the error that got us here is the one to report.
        }
    }
}

/// <summary>Some runs of the grid are not stored: a shard has not finished, or a sweep was interrupted.</summary>
public sealed class MissingRunsException(IReadOnlyList<long> missing, IReadOnlyList<RunId> gridIds)
    : Exception($"{missing.Count} of {gridIds.Count} runs are not stored")
{
    /// <summary>Grid indices of the missing runs.</summary>
    public IReadOnlyList<long> Missing { get; } = missing;

    public IReadOnlyList<RunId> GridIds { get; } = gridIds;
}
