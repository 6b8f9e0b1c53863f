namespace GdSweeps.Training;

/// <summary>What one run measured.</summary>
public sealed record RunOutcome
{
    public required RunStatus Status { get; init; }

    /// <summary>Updates applied: the budget, or the step at which the run diverged.</summary>
    public required int StepsRun { get; init; }

    /// <summary>The step whose loss crossed the divergence threshold; null when it never did.</summary>
    public int? DivergedAtStep { get; init; }

    /// <summary>The first step at which the run was within the tolerance of the optimum; null unless it converged.</summary>
    public int? ConvergedAtStep { get; init; }

    public required double InitialLoss { get; init; }

    /// <summary>The loss after the last update, or the loss that triggered divergence.</summary>
    public required double FinalLoss { get; init; }

    public required double BestLoss { get; init; }

    public required double InitialGradient { get; init; }

    public required double MaxGradientNorm { get; init; }

    public required int ClippedSteps { get; init; }

    public required double FinalW { get; init; }

    public required CurvePoint[] Curve { get; init; }
}
