using System.Security.Cryptography;
using System.Text;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Training;
using Serilog;

namespace GdSweeps.Running;

/// <summary>One invocation of a sweep, end to end: lock the folder, run what is missing, consolidate, report, and keep the manifest true throughout.</summary>
public static class SweepSession
{
    /// <summary>What a session did.</summary>
    /// <param name="Complete">Every run of the grid is stored and the consolidated files and reports are written (always false for a shard).</param>
    public sealed record Outcome(SweepTotals Totals, bool Complete, IReadOnlyDictionary<string, long> Statuses, string? Report);

    public static async Task<Outcome> RunAsync(
        SweepConfig config, string directory, RunOptions options, Action<long, long>? progress, CancellationToken ct)
    {
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
            DataFiles = config.DataFiles.Select(f => new Manifest.DataFile(f.Given, f.Resolved)).ToList(),
            Shard = options.Shard?.Name,
            Runs = 0,
            Reused = 0,
            Computed = 0,
            Started = DateTimeOffset.UtcNow,
        };
        await manifest.WriteAsync(manifestPath, CancellationToken.None);

        SweepTotals? totals = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            totals = await new SweepRunner(config, options).RunAsync(store, progress, ct);
            Log.Debug("Runs computed and stored in {Ms} ms", clock.ElapsedMilliseconds);
            manifest = manifest with { Runs = totals.Runs, Reused = totals.Reused, Computed = totals.Computed };
            if (options.Shard is not null)
            {
                await (manifest with { State = "complete", Ended = DateTimeOffset.UtcNow, Statuses = Counts(totals) }).WriteAsync(manifestPath, CancellationToken.None);
                return new Outcome(totals, false, Counts(totals), null);
            }

            var (report, statuses) = await FinishAsync(config, store, options.Threads, ct);
            Log.Debug("Manifest written after {Ms} ms", clock.ElapsedMilliseconds);
            await (manifest with { State = "complete", Ended = DateTimeOffset.UtcNow, Statuses = statuses }).WriteAsync(manifestPath, CancellationToken.None);
            return new Outcome(totals, true, statuses, report);
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
    /// consolidates the runs of the grid and the refinement, and writes the summaries and reports. Returns the report's path.
    /// </summary>
    /// <exception cref="MissingRunsException">Some grid runs are not stored (an unfinished shard).</exception>
    public static async Task<(string Report, Dictionary<string, long> Statuses)> FinishAsync(SweepConfig config, ResultStore store, int threads, CancellationToken ct)
    {
        var directory = store.Directory;
        var statuses = await ResultStore.StoredStatusesAsync(directory, ct);
        var gridIds = SweepGrid.Runs(config).Select(r => r.RunId);
        var missing = gridIds.Select((id, i) => (id, i)).Where(x => !statuses.ContainsKey(x.id)).Select(x => (long)x.i).ToList();
        if (missing.Count > 0)
        {
            throw new MissingRunsException(missing, gridIds.ToList());
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var schedules = new Dictionary<int, int[]>();
        var settings = config.Settings;
        var refined = await Refinement.RunAsync(config, statuses, async (runs, token) =>
        {
            foreach (var steps in runs.Select(r => r.Steps).Distinct().Where(s => !schedules.ContainsKey(s)))
            {
                schedules[steps] = CurveSchedule.Steps(steps, config.Curve == CurveMode.All);
            }

            var outcomes = new RunOutcome[runs.Count];
            Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = token },
                i => outcomes[i] = SweepRunner.Train(runs[i], settings, schedules[runs[i].Steps]));
            var rows = runs.Select((r, i) => Records.Run(r, outcomes[i])).ToList();
            var curves = new List<CurveRow>();
            for (var i = 0; i < runs.Count; i++)
            {
                Records.AddCurve(curves, runs[i].RunId, outcomes[i].Curve);
            }

            await store.WritePartAsync(rows, curves, CancellationToken.None);
            return rows.ToDictionary(r => r.RunId, r => r.Status);
        }, ct);

        Log.Debug("Refinement: {Runs} runs in {Ms} ms", refined.Count, clock.ElapsedMilliseconds);
        var merged = await Consolidator.ConsolidateAsync(directory, gridIds.Concat(refined.Select(r => r.RunId)), ct, store.Cached);
        Log.Debug("Consolidated after {Ms} ms", clock.ElapsedMilliseconds);
        if (merged.Missing.Count > 0)
        {
            throw new InvalidOperationException($"{merged.Missing.Count} runs are missing after the sweep; rerun to finish them");
        }

        var written = await Reporting.WriteAllWithCountsAsync(directory, config.Name, ct, merged.Rows is null ? null : (merged.Rows, merged.Curves));
        Log.Debug("Reports written after {Ms} ms", clock.ElapsedMilliseconds);
        return written;
    }

    public static string Version => typeof(SweepSession).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Dictionary<string, long> Counts(SweepTotals totals) =>
        Enum.GetValues<RunStatus>().ToDictionary(s => s.Name(), totals.Count);

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
public sealed class MissingRunsException(IReadOnlyList<long> missing, IReadOnlyList<string> gridIds)
    : Exception($"{missing.Count} of {gridIds.Count} runs are not stored")
{
    /// <summary>Grid indices of the missing runs.</summary>
    public IReadOnlyList<long> Missing { get; } = missing;

    public IReadOnlyList<string> GridIds { get; } = gridIds;
}
