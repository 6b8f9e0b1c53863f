namespace GdSweeps.Training;

/// <summary>What one run measured.</summary>
internal sealed record RunOutcome
{
    public required RunStatus Status { get; init; }

    /// <summary>Updates applied: the budget, or the step at which the run diverged.</summary>
    public required int StepsRun { get; init; }

    /// <summary>The step whose loss crossed the divergence threshold; null when it never did.</summary>
    public int? DivergedAtStep { get; init; }

    /// <summary>
    /// The first step at which the run was within the tolerance of the optimum; null unless it converged.
    /// </summary>
    public int? ConvergedAtStep { get; init; }

    public required double InitialLoss { get; init; }

    /// <summary>The loss after the last update, or the loss that triggered divergence.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>The final loss with predictions mapped back to the original units of y.</summary>
    public required double FinalLossOriginal { get; init; }

    public required double BestLoss { get; init; }

    /// <summary>The gradient at the start (all components).</summary>
    public required double[] InitialGradient { get; init; }

    /// <summary>
    /// The norm of the gradient at the start; null when the run failed or a command did not report it.
    /// </summary>
    public double? InitialGradientNorm { get; init; }

    public required double MaxGradientNorm { get; init; }

    /// <summary>
    /// The stability bound that applies to the run (its trainer says which); null where no theory gives one.
    /// </summary>
    public double? LrCrit { get; init; }

    public required int ClippedSteps { get; init; }

    /// <summary>The starting parameters: weights, then the bias.</summary>
    public required double[] InitialParameters { get; init; }

    /// <summary>The final parameters: weights, then the bias.</summary>
    public required double[] FinalParameters { get; init; }

    /// <summary>
    /// Euclidean distance from the final parameters to the optimum; null without a closed-form optimum.
    /// </summary>
    public double? DistanceToOptimum { get; init; }

    public required ArraySegment<CurvePoint> Curve { get; init; }

    /// <summary>The steps theory predicts the run needs to reach the tolerance (<see cref="Theory.StepsToConverge"/>); null where it gives none.</summary>
    public long? PredictedSteps { get; init; }

    /// <summary>GD's rate of fastest worst-case contraction on the run's problem, <c>2/(lambda_max + lambda_min)</c>.</summary>
    public double? FastestRate { get; init; }

    /// <summary>The steps theory predicts at <see cref="FastestRate"/> from the run's start.</summary>
    public long? FastestSteps { get; init; }

    /// <summary>A clipped run's capped steps to cross the distance from its start to the optimum, <c>distance / (lr c)</c>.</summary>
    public long? StepsToArrive { get; init; }

    /// <summary>A clipped run's rate above which its swing's loss crosses the divergence threshold (<see cref="Theory.FiniteRate"/>).</summary>
    public double? LrFinite { get; init; }

    public string? Error { get; init; }

    /// <summary>
    /// A command trainer's run: how its process ended and what it reported beyond the curve; null for the built-in
    /// models.
    /// </summary>
    public CommandRecord? Command { get; init; }

    /// <summary>The outcome of a run that threw: status failed, with the error, so the sweep goes on.</summary>
    public static RunOutcome Failed(string error) => new()
    {
        Status = RunStatus.Failed,
        Error = error,
        StepsRun = 0,
        InitialLoss = double.NaN,
        FinalLoss = double.NaN,
        FinalLossOriginal = double.NaN,
        BestLoss = double.NaN,
        InitialGradient = [],
        MaxGradientNorm = double.NaN,
        ClippedSteps = 0,
        InitialParameters = [],
        FinalParameters = [],
        Curve = ArraySegment<CurvePoint>.Empty,
    };
}
