using System.Runtime.CompilerServices;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Running;

namespace GdSweeps.Pipeline;

/// <summary>
/// Cuts runs into the batches stored as the table's parts (by work, deterministically, so part N holds the same runs
/// whatever the threads, resumes or shards), and decides for each: done (its part holds exactly its runs), or which
/// of its runs are copied from where they are stored and which are computed.
/// </summary>
internal sealed class BatchPlanner(Parts parts, PartWriter writer, PartLoader loader, Tally tally, bool perSample, int command, int? batchSize, Func<int, bool> mine)
{
    /// <summary>The number the next batch gets: after the grid's batches come the refinement's.</summary>
    public int Next { get; private set; }

    /// <summary>Batches (of this writer) that are not done, in order; done ones are counted as reused.</summary>
    public async IAsyncEnumerable<Batch> PlanAsync(IEnumerable<RunSpec> runs, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var specs in PartCutter.Cut(runs, perSample, batchSize, command))
        {
            var number = Next++;
            if (!mine(number))
            {
                continue;
            }

            ct.ThrowIfCancellationRequested();
            var stored = parts.Batch(number);
            if (stored is not null && stored.Holds([.. specs.Select(s => s.Id)]))
            {
                tally.Reused(specs.Length);
                continue;
            }

            if (stored is not null)
            {
                writer.Retire(stored); // an earlier config's part: its runs can still be copied from the reuse area
            }

            var compute = new bool[specs.Length];
            var reused = await loader.LoadAsync(parts, specs, compute, ct);
            yield return new Batch(number, specs, compute, reused.Rows.Count > 0 ? reused : null);
        }
    }

    /// <summary>
    /// The grid's batches when nothing is stored: every run is computed, so each batch is cut from grid points alone
    /// and its runs (specs and ids) are built by the worker that computes them.
    /// </summary>
    /// <param name="built">Told of each batch's runs as its worker builds them (in any order, from any thread).</param>
    public async IAsyncEnumerable<Batch> PlanFreshAsync(SweepGrid grid, Action<RunSpec[]>? built, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        var identity = new RunIdentity(grid.Plan.Config);
        var indexed = grid.Points().Select((point, index) => (Point: point, Index: (long)index));
        foreach (var points in PartCutter.Cut(indexed, p => Cost(grid, p.Point), batchSize))
        {
            var number = Next++;
            if (!mine(number))
            {
                continue;
            }

            ct.ThrowIfCancellationRequested();
            yield return new Batch(number, () =>
            {
                var cursor = identity.Fork();
                RunSpec[] specs = [.. points.Select(p => grid.Spec(p.Point, p.Index, cursor))];
                built?.Invoke(specs);
                return specs;
            });
        }
    }

    /// <summary>
    /// The batches whose parts are missing or hold other runs, without computing anything (a merge's check).
    /// </summary>
    public List<(int Batch, RunSpec[] Runs)> Missing(IEnumerable<RunSpec> runs)
    {
        var missing = new List<(int, RunSpec[])>();
        foreach (var specs in PartCutter.Cut(runs, perSample, batchSize, command))
        {
            var number = Next++;
            if (parts.Batch(number) is not { } stored || !stored.Holds([.. specs.Select(s => s.Id)]))
            {
                missing.Add((number, specs));
            }
        }

        return missing;
    }

    private double Cost(SweepGrid grid, int[] point)
    {
        var (problem, optimizer, steps) = grid.Work(point);
        return PartCutter.Cost(problem, optimizer, steps, perSample, command);
    }
}
