using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// What the analysis keeps of one run: its learning rate, seed and outcome, in a few words of memory.
/// </summary>
/// <remarks>Packed to 56 bytes (a million runs are 56 MB): the optional numbers are kept as a sentinel and given back
/// as null.</remarks>
internal readonly struct RunPoint(
    RunId id, long index, double learningRate, int seed, RunStatus status, bool refinement, int? convergedAtStep,
    double finalLoss, double? finalLossOriginal, int steps)
{
    private readonly double finalLossOriginal = finalLossOriginal ?? double.NaN;
    private readonly int convergedAtStep = convergedAtStep ?? -1;

    public RunId Id { get; } = id;

    public long Index { get; } = index;

    public double LearningRate { get; } = learningRate;

    public double FinalLoss { get; } = finalLoss;

    public int Seed { get; } = seed;

    public int Steps { get; } = steps;

    public RunStatus Status { get; } = status;

    public bool Refinement { get; } = refinement;

    public int? ConvergedAtStep => convergedAtStep < 0 ? null : convergedAtStep;

    /// <summary>
    /// The final loss in the original units of y; null when there is none (a diverged or failed run).
    /// </summary>
    public double? FinalLossOriginal => double.IsNaN(finalLossOriginal) ? null : finalLossOriginal;
}
