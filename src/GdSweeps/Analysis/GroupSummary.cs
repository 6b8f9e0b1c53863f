namespace GdSweeps.Analysis;

/// <summary>
/// What the grid found for one group of runs that differ only in learning rate: one dataset under one transform, with one
/// clip threshold, start and step budget. Learning rates are grid values; null where no run qualifies.
/// </summary>
public sealed record GroupSummary
{
    public required string Dataset { get; init; }

    public required int Samples { get; init; }

    public required string Transform { get; init; }

    public required double? Clip { get; init; }

    public required double W0 { get; init; }

    public required int Steps { get; init; }

    public required double LambdaMax { get; init; }

    /// <summary>The analytic bound <c>2 / LambdaMax</c> for unclipped full-batch GD.</summary>
    public required double LrCrit { get; init; }

    public required double WStar { get; init; }

    public required double InitialGradient { get; init; }

    public required int Runs { get; init; }

    public required int Diverged { get; init; }

    /// <summary>Every run started at the optimum, so the grid shows nothing about stability.</summary>
    public required bool Uninformative { get; init; }

    /// <summary>The largest learning rate below which no grid run diverged.</summary>
    public required double? MaxStableLr { get; init; }

    public required double? MinDivergedLr { get; init; }

    public required double? MinConvergedLr { get; init; }

    public required double? MaxConvergedLr { get; init; }

    /// <summary>The learning rate that converged in the fewest steps (else the lowest final loss among finite runs).</summary>
    public required double? BestLr { get; init; }

    public required double? BestFinalLoss { get; init; }

    public required int? BestConvergedAtStep { get; init; }
}
