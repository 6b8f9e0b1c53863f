using System.Buffers;
using System.Collections.Concurrent;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>
/// Trains batches of runs in parallel and hands each finished batch to a sink, which stores it as one part. Several
/// batches are in flight at once (one is written while others compute), and the runs of a batch are spread over
/// every core.
/// </summary>
/// <remarks>
/// Each run is a pure function of its spec, so the numbers do not depend on threads, batches, resumes or shards.
/// Cancellation stops new batches and long runs; what a batch finished before it is still kept.
/// </remarks>
internal sealed class SweepRunner(RunOptions options, ITrainer trainer)
{

    /// <summary>
    /// Trains and stores every batch of <paramref name="batches"/>, counting into <paramref name="tally"/>.
    /// </summary>
    public async Task RunAsync(IAsyncEnumerable<Batch> batches, IBatchSink sink, Tally tally, CancellationToken ct)
    {
        try
        {
            await RunBatchesAsync(batches, sink, tally, ct);
        }
        finally
        {
            // Every batch computed is stored before the runs end, interrupted or not: refinement reads their statuses,
            // the manifest counts them.
            await sink.FlushAsync();
        }
    }

    private async Task RunBatchesAsync(IAsyncEnumerable<Batch> batches, IBatchSink sink, Tally tally, CancellationToken ct)
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
                if (trainer.BatchSize > 1)
                {
                    // Runs trained together: each chunk one group's runs of the part, in order, at most BatchSize.
                    Parallel.ForEach(Partitioner.Create(Chunks(batch, trainer.BatchSize), loadBalance: true), new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = token }, chunk =>
                    {
                        var started = System.Diagnostics.Stopwatch.GetTimestamp();
                        var trained = trainer.TrainBatch([.. chunk.Select(i => batch.Runs[i])], token);
                        for (var k = 0; k < chunk.Count; k++)
                        {
                            outcomes[chunk[k]] = trained[k];
                        }

                        tally.Computing(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                    });
                }
                else
                {
                    // Runs taken a few at a time per worker, so no core idles at the batch's end (runs differ a thousandfold
                    // in cost, and a part of costly runs is cut short: then one at a time); a part of cheap runs, a
                    // thousand or more, hands each worker 64 ranges or so, not a range a run.
                    var rangeSize = Math.Max(1, batch.Runs.Length / (64 * Math.Max(1, options.Threads)));
                    Parallel.ForEach(Partitioner.Create(0, batch.Runs.Length, rangeSize), new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = token }, range =>
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
            }
            catch (OperationCanceledException)
            {
                if (outcomes.Any(o => o is not null))
                {
                    // Kept for the resume, and counted: the manifest says how many runs the interrupted sweep stored.
                    await sink.KeepFinishedAsync(batch, outcomes, CancellationToken.None);
                    tally.Kept(Tally.Count(batch, outcomes));
                }

                ArrayPool<CurvePoint>.Shared.Return(curves);
                throw;
            }

            // Written whatever happens to the token now: a computed batch is never thrown away. The sink keeps no curve.
            var writing = System.Diagnostics.Stopwatch.GetTimestamp();
            var count = Tally.Count(batch, outcomes);
            var written = sink.WriteAsync(batch, outcomes, CancellationToken.None);
            (batch, outcomes) = (null!, null!); // the sink has them: a part waiting for its commit keeps neither its runs nor their outcomes
            await written;
            ArrayPool<CurvePoint>.Shared.Return(curves);
            KeepGenerationOneCollected();
            tally.Storing(System.Diagnostics.Stopwatch.GetElapsedTime(writing));
            tally.Add(count);
        });
    }

    private readonly Lock collecting = new();
    private int settledGap = -1;

    /// <summary>
    /// Collects generation 1 when two collections in a row since a batch was last written left it alone. In a sweep
    /// nearly every collection is of generation 1; after a full one (a report's strings, the heap's own growth) the
    /// collector lets generation 1 grow for several collections, each promoting the rows of the batches in flight
    /// (15-20 MB a time in the ten million), and the peak rose by 80 MB for a second or two.
    /// </summary>
    private void KeepGenerationOneCollected()
    {
        using var _ = collecting.EnterScope();
        var gap = GC.CollectionCount(0) - GC.CollectionCount(1);
        if (settledGap < 0 || gap < settledGap)
        {
            settledGap = gap;
        }
        else if (gap - settledGap >= 2)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
            settledGap = GC.CollectionCount(0) - GC.CollectionCount(1);
        }
    }

    /// <summary>
    /// The runs of a part to compute, by group (runs that differ only in learning rate and seed), in the part's order,
    /// cut into chunks of at most <paramref name="size"/>: fixed by the part and which of its runs are stored, so a
    /// sweep, its resume and its shards train a run beside the same runs.
    /// </summary>
    internal static List<List<int>> Chunks(Batch batch, int size)
    {
        var chunks = new List<List<int>>();
        foreach (var group in Enumerable.Range(0, batch.Runs.Length).Where(i => batch.Compute[i]).GroupBy(i => batch.Runs[i].GroupId))
        {
            chunks.AddRange(group.Chunk(size).Select(c => c.ToList()));
        }

        return chunks;
    }
}
