using System.Collections.Concurrent;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>How a sweep is run: threads, the size of stored parts, and which shard of the grid.</summary>
public sealed record RunOptions(int Threads, int? BatchSize = null, Shard? Shard = null);

/// <summary>Where finished batches go: the store, which keeps each durably before the next is reported done.</summary>
public interface IBatchSink
{
    Task WriteAsync(IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes, CancellationToken ct);
}

/// <summary>
/// Trains runs in parallel, batch by batch, handing each finished batch to a sink as one whole part.
/// </summary>
/// <remarks>
/// Each run is a pure function of its spec, so the numbers do not depend on threads, batches, resumes or shards.
/// While one batch is written, the next is computed. Cancellation stops new batches; a computed batch is still written.
/// </remarks>
public sealed class SweepRunner(SweepConfig config, RunOptions options)
{
    private readonly TrainSettings settings = new(config.DivergenceThreshold, config.Tolerance, config.Kernel == KernelMode.PerSample);
    private readonly ConcurrentDictionary<int, int[]> schedules = new();

    /// <summary>Trains the runs of <paramref name="runs"/> not yet done and writes them to <paramref name="sink"/>.</summary>
    /// <param name="runs">Every run of the sweep (or shard), in grid order, enumerated once.</param>
    /// <param name="isDone">Whether a run is already stored (and need not run again).</param>
    /// <param name="expected">The number of runs, for progress (an estimate for a shard).</param>
    /// <param name="progress">Called with the runs done so far (stored before or computed now) and <paramref name="expected"/>.</param>
    public async Task<SweepTotals> RunAsync(
        IEnumerable<RunSpec> runs, Func<RunId, bool> isDone, long expected, IBatchSink sink, Action<long, long>? progress, CancellationToken ct)
    {
        long total = 0, reused = 0, computed = 0, sampleSteps = 0;
        var pending = runs.Where(r =>
        {
            total++;
            var done = isDone(r.Id);
            reused += done ? 1 : 0;
            return !done;
        });
        var batches = options.BatchSize is { } size ? pending.Chunk(size) : Batches(pending, config.Kernel == KernelMode.PerSample);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = ct };
        var counts = new long[RunStatuses.All.Count];

        Task writing = Task.CompletedTask;
        try
        {
            foreach (var batch in batches)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Invoke(reused + computed, Math.Max(expected, total));
                var outcomes = new RunOutcome[batch.Length];
                // One run at a time per worker (runs differ a thousandfold in cost), so no core idles at the batch's end.
                Parallel.ForEach(Partitioner.Create(0, batch.Length, 1), parallel, range =>
                {
                    for (var i = range.Item1; i < range.Item2; i++)
                    {
                        outcomes[i] = Train(batch[i]);
                    }
                });

                await writing;
                for (var i = 0; i < batch.Length; i++)
                {
                    counts[(int)outcomes[i].Status]++;
                    sampleSteps += (long)outcomes[i].StepsRun * batch[i].Problem.Count;
                }

                // Written whatever happens to the token: a computed batch is never thrown away.
                writing = sink.WriteAsync(batch, outcomes, CancellationToken.None);
                computed += batch.Length;
            }
        }
        finally
        {
            await writing;
        }

        progress?.Invoke(total, total);
        return new SweepTotals(total, reused, counts, sampleSteps);
    }

    /// <summary>One run; a run that throws becomes a failed outcome, never a failed sweep.</summary>
    public RunOutcome Train(RunSpec spec)
    {
        try
        {
            var curve = schedules.GetOrAdd(spec.Steps, s => CurveSchedule.Steps(s, config.Curve == CurveMode.All));
            return Trainer.Run(spec, settings, curve);
        }
#pragma warning disable CA1031 // a failing run is recorded, whatever it threw
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return RunOutcome.Failed($"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Rows per stored part at most, so a whole small sweep is one part.</summary>
    public const int MaxBatch = 2048;

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
}

/// <summary>How many runs a sweep (or shard) has, how many were found stored, how the computed ones ended, and their sample-steps (one sample in one step).</summary>
public sealed record SweepTotals(long Runs, long Reused, IReadOnlyList<long> ComputedByStatus, long SampleSteps = 0)
{
    public long Computed => ComputedByStatus.Sum();

    public long Count(RunStatus status) => ComputedByStatus[(int)status];
}
