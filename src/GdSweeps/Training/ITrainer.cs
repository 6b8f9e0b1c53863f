using GdSweeps.Grid;

namespace GdSweeps.Training;

/// <summary>Trains one run to its outcome: the built-in models, or the user's command.</summary>
/// <remarks>
/// Implementers turn every failure of a run into a <see cref="RunStatus.Failed"/> outcome, so one run never stops a
/// sweep, and let <see cref="OperationCanceledException"/> propagate when <c>ct</c> is cancelled (the run is dropped).
/// Called from many threads at once.
/// </remarks>
internal interface ITrainer
{
    /// <summary>
    /// How many curve points a run keeps in the buffer the runner lends it (0: the trainer allocates its own).
    /// </summary>
    int CurvePoints(RunSpec spec);

    /// <summary>
    /// Trains <paramref name="spec"/>; <paramref name="curve"/> holds <see cref="CurvePoints"/> points for it, and the
    /// outcome's curve may be a slice of it.
    /// </summary>
    RunOutcome Train(RunSpec spec, ArraySegment<CurvePoint> curve, CancellationToken ct);

    /// <summary>Runs of one group the trainer trains together at most; 1 when it trains one at a time.</summary>
    int BatchSize => 1;

    /// <summary>
    /// Trains <paramref name="specs"/>, at most <see cref="BatchSize"/> runs of one group, together; their outcomes in
    /// order. Only asked of a trainer whose <see cref="BatchSize"/> is above 1.
    /// </summary>
    RunOutcome[] TrainBatch(IReadOnlyList<RunSpec> specs, CancellationToken ct) => throw new NotSupportedException("this trainer trains one run at a time");
}
