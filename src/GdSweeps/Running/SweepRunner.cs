using System.Buffers;
using System.Collections.Concurrent;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>How a sweep is run: threads, the size of stored parts, and which shard of the grid.</summary>
public sealed record RunOptions(int Threads, int? BatchSize = null, Shard? Shard = null);

/// <summary>
/// Trains batches of runs in parallel and hands each finished batch to a sink, which stores it as one part. Several
/// batches are in flight at once (one is written while others compute), and the runs of a batch are spread over
/// every core.
/// </summary>
/// <remarks>
/// Each run is a pure function of its spec, so the numbers do not depend on threads, batches, resumes or shards.
/// Cancellation stops new batches and long runs; what a batch finished before it is still kept.
/// </remarks>
public sealed class SweepRunner(RunOptions options, ITrainer trainer)
{

    /// <summary>Trains and stores every batch of <paramref name="batches"/>, counting into <paramref name="tally"/>.</summary>
    public async Task RunAsync(IAsyncEnumerable<Batch> batches, IBatchSink sink, Tally tally, CancellationToken ct)
    {
        var across = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads), CancellationToken = ct };
        await Parallel.ForEachAsync(batches, across, async (batch, token) =>
        {
            var outcomes = new RunOutcome?[batch.Runs.Length];

            // Every curve of the batch in one buffer, each run its slice: no array per run to collect.
            var slots = new int[batch.Runs.Length + 1];
            for (var i = 0; i < batch.Runs.Length; i++)
            {
                slots[i + 1] = slots[i] + (batch.Compute[i] ? trainer.CurvePoints(batch.Runs[i]) : 0);
            }

            // Pooled: a batch's curves are megabytes, and a fresh array each batch would cost a full collection each time.
            var curves = ArrayPool<CurvePoint>.Shared.Rent(slots[^1]);
            try
            {
                // One run at a time per worker (runs differ a thousandfold in cost), so no core idles at the batch's end.
                Parallel.ForEach(Partitioner.Create(0, batch.Runs.Length, 1), new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = token }, range =>
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    for (var i = range.Item1; i < range.Item2; i++)
                    {
                        if (batch.Compute[i])
                        {
                            outcomes[i] = trainer.Train(batch.Runs[i], new ArraySegment<CurvePoint>(curves, slots[i], slots[i + 1] - slots[i]), token);
                        }
                    }

                    tally.Computing(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                });
            }
            catch (OperationCanceledException)
            {
                if (outcomes.Any(o => o is not null))
                {
                    await sink.KeepFinishedAsync(batch, outcomes, CancellationToken.None);
                }

                ArrayPool<CurvePoint>.Shared.Return(curves);
                throw;
            }

            // Written whatever happens to the token now: a computed batch is never thrown away. The sink keeps no curve.
            var writing = System.Diagnostics.Stopwatch.GetTimestamp();
            await sink.WriteAsync(batch, outcomes, CancellationToken.None);
            ArrayPool<CurvePoint>.Shared.Return(curves);
            tally.Storing(System.Diagnostics.Stopwatch.GetElapsedTime(writing));
            tally.Add(batch, outcomes);
        });
    }

    /// <summary>Rows per stored part at most: the million-run sweep is about 245 parts; two in flight, their largest arrays stay small.</summary>
    public const int MaxBatch = 4096;

    /// <summary>Work per stored part, in multiply-adds (a second or two of one core), so a crash loses little and parts are not cut too fine to keep every core busy.</summary>
    public const double BatchWork = 1e10;

    /// <summary>
    /// Cuts the runs into parts by estimated work, not count: cheap runs (the exact shortcut costs O(p^2) a step)
    /// go up to <see cref="MaxBatch"/> a part, expensive ones (per sample: O(n p) a step) fewer. Deterministic:
    /// it depends on the config only.
    /// </summary>
    public static IEnumerable<RunSpec[]> Cut(IEnumerable<RunSpec> runs, bool perSample, int? size = null, bool command = false) =>
        Cut(runs, run => Cost(run.Problem, run.Optimizer, run.Steps, perSample, command), size);

    /// <summary>Cuts items into batches by <paramref name="cost"/> (see the overload on runs).</summary>
    public static IEnumerable<T[]> Cut<T>(IEnumerable<T> items, Func<T, double> cost, int? size = null)
    {
        var batch = new List<T>();
        double work = 0;
        foreach (var item in items)
        {
            batch.Add(item);
            work += cost(item);
            if (batch.Count == (size ?? MaxBatch) || (size is null && work >= BatchWork))
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

    /// <summary>
    /// Runs of a command trainer per stored part: each is a process of its own, a second or more, so a part of a few
    /// loses little to a crash, and a kill before a part is stored costs little to run again.
    /// </summary>
    public const int CommandRunsPerPart = 8;

    /// <summary>A run's work in multiply-adds: from the sums O(p^2) a step, per sample O(n p); a command's run is an eighth of a part whatever it does.</summary>
    public static double Cost(Plan.Problem p, OptimizerSpec optimizer, int steps, bool perSample, bool command = false)
    {
        if (command)
        {
            return BatchWork / CommandRunsPerPart;
        }

        var perStep = p.HasSums && optimizer.FullBatch && !perSample ? p.Parameters * (p.Parameters + 4.0) : p.Count * (p.Parameters + 2.0);
        return steps * perStep;
    }
}

/// <summary>How far a phase of a sweep has come: runs, refinement rounds, analysis, reports.</summary>
/// <param name="Phase">What is being done: <c>runs</c>, <c>refinement N</c>, <c>analysis</c>, <c>reports</c>.</param>
/// <param name="Unit">What <paramref name="Done"/> counts: <c>runs</c>, <c>steps</c>.</param>
public readonly record struct Progress(string Phase, long Done, long Total, string Unit = "runs");

/// <summary>What a sweep (or shard) found stored and computed, counted safely from every worker, and the progress of the runs of the current phase.</summary>
public sealed class Tally(Action<Progress>? progress, long expected)
{
    private readonly long[] byStatus = new long[RunStatuses.All.Count];
    private long runs, reused, computed, sampleSteps, computeTicks, storeTicks, phaseStart;
    private (string Name, long Total) phase = ("runs", expected);

    /// <summary>Starts a phase of <paramref name="total"/> runs (a refinement round): progress counts from here.</summary>
    public void Phase(string name, long total)
    {
        phaseStart = Interlocked.Read(ref runs);
        phase = (name, total);
        Report();
    }

    /// <summary>Adds a worker's time spent training runs.</summary>
    public void Computing(TimeSpan time) => Interlocked.Add(ref computeTicks, time.Ticks);

    /// <summary>Adds the time a batch took to store (encode, checksum, write, sync).</summary>
    public void Storing(TimeSpan time) => Interlocked.Add(ref storeTicks, time.Ticks);

    /// <summary>Counts runs found stored and not computed again.</summary>
    public void Reused(long count)
    {
        Interlocked.Add(ref runs, count);
        Interlocked.Add(ref reused, count);
        Report();
    }

    /// <summary>Counts a stored batch: its copied runs as reused, its computed ones by status.</summary>
    public void Add(Batch batch, IReadOnlyList<RunOutcome?> outcomes)
    {
        long steps = 0, done = 0;
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is { } o)
            {
                Interlocked.Increment(ref byStatus[(int)o.Status]);
                steps += (long)o.StepsRun * batch.Runs[i].Problem.Count;
                done++;
            }
        }

        Interlocked.Add(ref sampleSteps, steps);
        Interlocked.Add(ref computed, done);
        Interlocked.Add(ref reused, outcomes.Count - done);
        Interlocked.Add(ref runs, outcomes.Count);
        Report();
    }

    public SweepTotals Totals => new(Interlocked.Read(ref runs), Interlocked.Read(ref reused), [.. byStatus], Interlocked.Read(ref sampleSteps))
    {
        ComputeTime = TimeSpan.FromTicks(Interlocked.Read(ref computeTicks)),
        StoreTime = TimeSpan.FromTicks(Interlocked.Read(ref storeTicks)),
    };

    private void Report()
    {
        var (name, total) = phase;
        var done = Interlocked.Read(ref runs) - phaseStart;
        progress?.Invoke(new Progress(name, done, Math.Max(total, done)));
    }
}

/// <summary>How many runs a sweep (or shard) has, how many were found stored, how the computed ones ended, and their sample-steps (one sample in one step).</summary>
public sealed record SweepTotals(long Runs, long Reused, IReadOnlyList<long> ComputedByStatus, long SampleSteps = 0)
{
    /// <summary>Time spent training, summed over the threads.</summary>
    public TimeSpan ComputeTime { get; init; }

    /// <summary>Time spent storing parts, summed over the batches written at once.</summary>
    public TimeSpan StoreTime { get; init; }

    public long Computed => ComputedByStatus.Sum();

    public long Count(RunStatus status) => ComputedByStatus[(int)status];
}
