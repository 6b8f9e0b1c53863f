using System.Collections.Concurrent;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>How a sweep is run: threads, the size of stored parts, and which shard of the grid.</summary>
public sealed record RunOptions(int Threads, int? BatchSize = null, Shard? Shard = null);

/// <summary>
/// Runs the grid points not yet stored, in parallel, handing each finished batch to the store as one whole part.
/// </summary>
/// <remarks>
/// Each run is a pure function of its spec, so the numbers do not depend on threads, batches, resumes or shards;
/// the consolidated files put rows in grid order. While one batch is written, the next is computed. Cancellation
/// stops new batches; batches already computed are still written.
/// </remarks>
public sealed class SweepRunner(SweepConfig config, RunOptions options)
{
    public async Task<SweepTotals> RunAsync(ResultStore store, Action<long, long>? progress, CancellationToken ct)
    {
        var stored = await ResultStore.StoredStatusesAsync(store.Directory, ct);
        bool Mine(RunSpec r) => options.Shard?.Owns(r.RunId) ?? true;
        bool Done(RunSpec r) => stored.TryGetValue(r.RunId, out var status) && status != "failed";

        long total = 0, reused = 0;
        foreach (var run in SweepGrid.Runs(config).Where(Mine))
        {
            total++;
            reused += Done(run) ? 1 : 0;
        }

        store.CacheParts = total - reused <= ResultStore.SessionCacheRows;
        var batches = options.BatchSize is { } size
            ? SweepGrid.Runs(config).Where(r => Mine(r) && !Done(r)).Chunk(size)
            : Batches(SweepGrid.Runs(config).Where(r => Mine(r) && !Done(r)), config.Kernel == KernelMode.PerSample);
        var schedules = config.Steps.Distinct().ToDictionary(s => s, s => CurveSchedule.Steps(s, config.Curve == CurveMode.All));
        var settings = config.Settings;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = ct };
        var counts = new long[Enum.GetValues<RunStatus>().Length];
        long done = reused, sampleSteps = 0;
        progress?.Invoke(done, total);

        Task pending = Task.CompletedTask;
        try
        {
            foreach (var batch in batches)
            {
                ct.ThrowIfCancellationRequested();
                var outcomes = new RunOutcome[batch.Length];
                // One run at a time per worker (runs differ a thousandfold in cost), so no core idles at the batch's end.
                Parallel.ForEach(Partitioner.Create(0, batch.Length, 1), parallel, range =>
                {
                    for (var i = range.Item1; i < range.Item2; i++)
                    {
                        outcomes[i] = Train(batch[i], settings, schedules[batch[i].Steps]);
                    }
                });

                await pending;
                var rows = new RunRecord[batch.Length];
                var curves = new List<CurveRow>();
                for (var i = 0; i < batch.Length; i++)
                {
                    rows[i] = Records.Run(batch[i], outcomes[i]);
                    Records.AddCurve(curves, batch[i].RunId, outcomes[i].Curve);
                    counts[(int)outcomes[i].Status]++;
                    sampleSteps += (long)outcomes[i].StepsRun * batch[i].Problem.Count;
                }

                // Written whatever happens to the token: a computed batch is never thrown away.
                pending = store.WritePartAsync(rows, curves, CancellationToken.None);
                done += batch.Length;
                progress?.Invoke(done, total);
            }
        }
        finally
        {
            await pending;
        }

        return new SweepTotals(total, reused, counts, sampleSteps);
    }

    /// <summary>Rows per stored part at most: the consolidated files' row group, so a whole small sweep is one part.</summary>
    public const int MaxBatch = Consolidator.ChunkRows;

    /// <summary>Work per stored part, in multiply-adds (a second or two of one core), so a crash loses little and parts are not cut too fine to keep every core busy.</summary>
    public const double BatchWork = 1e10;

    /// <summary>
    /// Cuts the runs into parts by estimated work, not count: cheap runs (the exact shortcut costs O(p^2) a step)
    /// go up to <see cref="MaxBatch"/> a part, expensive ones (per sample: O(n p) a step) fewer. Deterministic:
    /// it depends on the config only.
    /// </summary>
    public static IEnumerable<RunSpec[]> Batches(IEnumerable<RunSpec> runs, bool perSample)
    {
        var batch = new List<RunSpec>();
        double work = 0;
        foreach (var run in runs)
        {
            batch.Add(run);
            work += Cost(run, perSample);
            if (batch.Count == MaxBatch || work >= BatchWork)
            {
                yield return [.. batch];
                batch.Clear();
                work = 0;
            }
        }

        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }

    private static double Cost(RunSpec run, bool perSample)
    {
        var p = run.Problem;
        var perStep = p.HasSums && run.Optimizer.FullBatch && !perSample ? p.Parameters * (p.Parameters + 4.0) : p.Count * (p.Parameters + 2.0);
        return run.Steps * perStep;
    }

    /// <summary>One run; a run that throws becomes a failed row, never a failed sweep.</summary>
    public static RunOutcome Train(RunSpec spec, TrainSettings settings, int[] curveSteps)
    {
        try
        {
            return Trainer.Run(spec, settings, curveSteps);
        }
#pragma warning disable CA1031 // a failing run is recorded, whatever it threw
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return Records.Failed(e);
        }
    }
}

/// <summary>How many runs a sweep (or shard) has, how many were found stored, how the computed ones ended, and their sample-steps (one sample in one step).</summary>
public sealed record SweepTotals(long Runs, long Reused, IReadOnlyList<long> ComputedByStatus, long SampleSteps = 0)
{
    public long Computed => ComputedByStatus.Sum();

    public long Count(RunStatus status) => ComputedByStatus[(int)status];
}
