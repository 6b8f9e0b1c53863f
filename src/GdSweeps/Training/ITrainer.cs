using GdSweeps.Grid;

namespace GdSweeps.Training;

/// <summary>Trains one run to its outcome: the built-in models, or the user's command.</summary>
/// <remarks>
/// Implementers turn every failure of a run into a <see cref="RunStatus.Failed"/> outcome, so one run never stops a
/// sweep, and let <see cref="OperationCanceledException"/> propagate when <c>ct</c> is cancelled (the run is dropped).
/// Called from many threads at once.
/// </remarks>
public interface ITrainer
{
    RunOutcome Train(RunSpec spec, CancellationToken ct);
}
