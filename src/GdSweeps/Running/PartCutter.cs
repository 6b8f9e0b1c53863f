using GdSweeps.Configs;
using GdSweeps.Grid;

namespace GdSweeps.Running;

/// <summary>
/// How runs are cut into stored parts: by estimated work, so a crash loses little and no core idles, and by a fixed
/// count when the command line says (<c>--runs-per-part</c>). Deterministic: it depends on the config only.
/// </summary>
internal static class PartCutter
{
    /// <summary>
    /// Rows per stored part at most: the million-run sweep is about 245 parts; two in flight, their largest arrays stay
    /// small.
    /// </summary>
    public const int MaxBatch = 4096;

    /// <summary>
    /// Work per stored part, in multiply-adds (a second or two of one core), so a crash loses little and parts are not
    /// cut too fine to keep every core busy.
    /// </summary>
    public const double BatchWork = 1e10;

    /// <summary>
    /// Cuts the runs into parts by estimated work, not count: cheap runs (the exact shortcut costs O(p^2) a step)
    /// go up to <see cref="MaxBatch"/> a part, expensive ones (per sample: O(n p) a step) fewer. Deterministic:
    /// it depends on the config only.
    /// </summary>
    /// <param name="command">Runs a part of a command trainer holds (<see cref="CommandPart"/>); 0 for the built-in models.</param>
    public static IEnumerable<RunSpec[]> Cut(IEnumerable<RunSpec> runs, bool perSample, int? size = null, int command = 0) =>
        Cut(runs, run => Cost(run.Problem, run.Get(SweepAxes.Optimizer), run.Get(SweepAxes.Steps), perSample, command), size);

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

    /// <summary>
    /// Runs of a serving command (<c>trainer.serve</c>) per stored part: a run costs its training, not a process
    /// start, so more of them; at least one batch (a batch is cut from one part).
    /// </summary>
    public const int ServedRunsPerPart = 64;

    /// <summary>Runs a part of <paramref name="trainer"/>'s sweep holds; 0 for the built-in models (cut by work).</summary>
    public static int CommandPart(TrainerSpec? trainer) =>
        trainer is null ? 0 : trainer.Serve ? Math.Max(ServedRunsPerPart, trainer.Batch) : CommandRunsPerPart;

    /// <summary>
    /// A run's work in multiply-adds: from the sums O(p^2) a step, per sample O(n p); a command's run is its share of a
    /// part (<paramref name="command"/> runs a part) whatever it does.
    /// </summary>
    public static double Cost(Plan.Problem p, OptimizerSpec optimizer, int steps, bool perSample, int command = 0)
    {
        if (command > 0)
        {
            return BatchWork / command;
        }

        var perStep = p.HasSums && optimizer.FullBatch && !perSample ? p.Parameters * (p.Parameters + 4.0) : p.Count * (p.Parameters + 2.0);
        return steps * perStep;
    }
}
