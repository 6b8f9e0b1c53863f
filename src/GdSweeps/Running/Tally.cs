using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>
/// What a sweep (or shard) found stored and computed, counted safely from every worker, and the progress of the runs of
/// the current phase.
/// </summary>
internal sealed class Tally(Action<Progress>? progress, long expected)
{
    private readonly long[] byStatus = new long[RunStatuses.All.Count];
    private long runs, reused, computed, sampleSteps, computeTicks, storeTicks, phaseStart;
    private (string Name, long Total) phase = ("runs", expected);

    /// <summary>
    /// Starts a phase of <paramref name="total"/> runs (a refinement round): progress counts from here.
    /// </summary>
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

    /// <summary>
    /// What a batch adds to the counts, taken from its outcomes before it is stored: the runner then lets them go while
    /// the part waits for its commit (a collection meanwhile would otherwise copy a part's outcomes, 2 MB).
    /// </summary>
    public readonly record struct BatchCount(long Runs, long Computed, long SampleSteps, long[] ByStatus);

    /// <summary>The computed runs of a batch by status, and their sample-steps; how many there were.</summary>
    public static BatchCount Count(Batch batch, IReadOnlyList<RunOutcome?> outcomes)
    {
        var byStatus = new long[RunStatuses.All.Count];
        long steps = 0, done = 0;
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is { } o)
            {
                byStatus[(int)o.Status]++;
                steps += (long)o.StepsRun * batch.Runs[i].Problem.Count;
                done++;
            }
        }

        return new BatchCount(outcomes.Count, done, steps, byStatus);
    }

    /// <summary>Counts a stored batch: its copied runs as reused, its computed ones by status.</summary>
    public void Add(BatchCount count)
    {
        AddComputed(count);
        Interlocked.Add(ref reused, count.Runs - count.Computed);
        Interlocked.Add(ref runs, count.Runs);
        Report();
    }

    /// <summary>
    /// Counts the finished runs of a batch cut short (an interruption), kept for the resume; the others were never
    /// stored.
    /// </summary>
    public void Kept(BatchCount count)
    {
        AddComputed(count);
        Interlocked.Add(ref runs, count.Computed);
    }

    private void AddComputed(BatchCount count)
    {
        for (var s = 0; s < count.ByStatus.Length; s++)
        {
            if (count.ByStatus[s] != 0)
            {
                Interlocked.Add(ref byStatus[s], count.ByStatus[s]);
            }
        }

        Interlocked.Add(ref sampleSteps, count.SampleSteps);
        Interlocked.Add(ref computed, count.Computed);
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

/// <summary>
/// How many runs a sweep (or shard) has, how many were found stored, how the computed ones ended, and their
/// sample-steps (one sample in one step).
/// </summary>
internal sealed record SweepTotals(long Runs, long Reused, IReadOnlyList<long> ComputedByStatus, long SampleSteps = 0)
{
    /// <summary>Time spent training, summed over the threads.</summary>
    public TimeSpan ComputeTime { get; init; }

    /// <summary>Time spent storing parts, summed over the batches written at once.</summary>
    public TimeSpan StoreTime { get; init; }

    public long Computed => ComputedByStatus.Sum();

    public long Count(RunStatus status) => ComputedByStatus[(int)status];
}
