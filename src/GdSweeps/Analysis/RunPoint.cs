using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// What the analysis keeps of one run: its learning rate, seed and outcome, in a few words of memory.
/// </summary>
/// <remarks>Packed to 64 bytes (a million runs are 64 MB): the optional numbers are kept as a sentinel and given back
/// as null.</remarks>
internal readonly struct RunPoint(
    RunId id, long index, double learningRate, int seed, RunStatus status, bool refinement, int? convergedAtStep,
    double finalLoss, double? finalLossOriginal, int steps, long? needed = null, int source = 0)
{
    private readonly double finalLossOriginal = finalLossOriginal ?? double.NaN;
    private readonly int convergedAtStep = convergedAtStep ?? -1;
    private readonly int needed = needed is { } n ? (int)Math.Min(n, int.MaxValue) : -1;

    public RunId Id { get; } = id;

    public long Index { get; } = index;

    public double LearningRate { get; } = learningRate;

    public double FinalLoss { get; } = finalLoss;

    public int Seed { get; } = seed;

    public int Steps { get; } = steps;

    /// <summary>Which of its collector's sources (stored parts) the run was read from.</summary>
    public int Source { get; } = source;

    public RunStatus Status { get; } = status;

    public bool Refinement { get; } = refinement;

    public int? ConvergedAtStep => convergedAtStep < 0 ? null : convergedAtStep;

    /// <summary>
    /// The steps theory says the run needs: to come within the tolerance (unclipped GD or momentum on MSE,
    /// <c>predicted_converged_at_step</c>) or to arrive near the optimum (clipped, <c>steps_to_arrive</c>); null where
    /// it says nothing. Saturates at <see cref="int.MaxValue"/>.
    /// </summary>
    public int? Needed => needed < 0 ? null : needed;

    /// <summary>
    /// The final loss in the original units of y; null when there is none (a diverged or failed run).
    /// </summary>
    public double? FinalLossOriginal => double.IsNaN(finalLossOriginal) ? null : finalLossOriginal;
}
