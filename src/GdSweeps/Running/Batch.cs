using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>
/// Runs stored together as one part: the runs in order, which of them to compute, and (for the sink) how to copy the
/// others from where they are already stored.
/// </summary>
/// <remarks>
/// A batch of a folder that holds nothing yet builds its runs (their specs and ids) on the worker that computes
/// them, so the hashing is spread over every core rather than done on the one that plans.
/// </remarks>
internal sealed class Batch
{
    private readonly Func<RunSpec[]>? build;
    private RunSpec[]? runs;
    private bool[]? compute;

    /// <param name="number">The part's number: batches of the grid first, then the refinement's.</param>
    /// <param name="reused">The sink's own description of the stored runs it copies; null when every run is
    /// computed.</param>
    public Batch(int number, RunSpec[] runs, bool[] compute, object? reused = null)
    {
        Number = number;
        this.runs = runs;
        this.compute = compute;
        Reused = reused;
    }

    /// <summary>A batch whose runs are all computed, built when first asked for.</summary>
    public Batch(int number, Func<RunSpec[]> build)
    {
        Number = number;
        this.build = build;
    }

    public int Number { get; }

    public RunSpec[] Runs => runs ??= build!();

    /// <summary>For each run, whether it is computed (rather than copied from where it is stored).</summary>
    public bool[] Compute => compute ??= [.. Runs.Select(_ => true)];

    public object? Reused { get; }

    public int ToCompute => Compute.Count(c => c);
}

/// <summary>Where finished batches go: the store, which keeps each durably before it counts as done.</summary>
internal interface IBatchSink
{
    /// <summary>
    /// Stores a batch; <paramref name="outcomes"/> holds an outcome for each run computed, null for each copied. It may
    /// return before the batch is durable: <see cref="FlushAsync"/> waits for that.
    /// </summary>
    Task WriteAsync(Batch batch, IReadOnlyList<RunOutcome?> outcomes, CancellationToken ct);

    /// <summary>Waits until every batch written is durable and counts as stored.</summary>
    Task FlushAsync();

    /// <summary>
    /// Keeps the runs of a batch that finished before it was interrupted, so a rerun need not compute them again.
    /// </summary>
    Task KeepFinishedAsync(Batch batch, IReadOnlyList<RunOutcome?> outcomes, CancellationToken ct);
}
