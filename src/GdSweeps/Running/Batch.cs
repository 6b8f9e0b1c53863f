using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>
/// Runs stored together as one part: the runs in order, which of them to compute, and (for the sink) how to copy the
/// others from where they are already stored.
/// </summary>
/// <param name="Number">The part's number: batches of the grid first, then the refinement's.</param>
/// <param name="Reused">The sink's own description of the stored runs it copies; null when every run is computed.</param>
public sealed record Batch(int Number, RunSpec[] Runs, bool[] Compute, object? Reused = null)
{
    public int ToCompute => Compute.Count(c => c);
}

/// <summary>Where finished batches go: the store, which keeps each durably before it counts as done.</summary>
public interface IBatchSink
{
    /// <summary>Stores a batch; <paramref name="outcomes"/> holds an outcome for each run computed, null for each copied.</summary>
    Task WriteAsync(Batch batch, IReadOnlyList<RunOutcome?> outcomes, CancellationToken ct);

    /// <summary>Keeps the runs of a batch that finished before it was interrupted, so a rerun need not compute them again.</summary>
    Task KeepFinishedAsync(Batch batch, IReadOnlyList<RunOutcome?> outcomes, CancellationToken ct);
}
