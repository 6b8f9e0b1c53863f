namespace GdSweeps.Analysis;

/// <summary>
/// What the runs of one group found: the runs that differ only in learning rate and seed. One row of <c>summary.parquet</c>;
/// learning rates are those tried (grid and refinement), null where no run qualifies.
/// </summary>
public sealed class GroupSummary
{
    public string GroupId { get; set; } = "";

    public string Dataset { get; set; } = "";

    public int Samples { get; set; }

    public int Features { get; set; }

    public string Transform { get; set; } = "";

    public string Model { get; set; } = "";

    public string Loss { get; set; } = "";

    public string Optimizer { get; set; } = "";

    public string Schedule { get; set; } = "";

    public double? Clip { get; set; }

    public string? ClipMode { get; set; }

    public string W0 { get; set; } = "";

    public double? B0 { get; set; }

    public int Steps { get; set; }

    public int Runs { get; set; }

    public int RefinementRuns { get; set; }

    public int Seeds { get; set; }

    public int Diverged { get; set; }

    public int Failed { get; set; }

    /// <summary>Every run started at the optimum, so nothing about stability can be seen.</summary>
    public bool Uninformative { get; set; }

    public double InitialGradient { get; set; }

    public double? LambdaMax { get; set; }

    public double? LambdaMin { get; set; }

    public double? ConditionNumber { get; set; }

    /// <summary>The analytic bound for this group's optimizer, where theory gives one.</summary>
    public double? LrCrit { get; set; }

    /// <summary>The largest learning rate below which no run diverged (or was diverging at the end).</summary>
    public double? MaxStableLr { get; set; }

    /// <summary>The smallest learning rate at which some run diverged or was diverging.</summary>
    public double? MinUnstableLr { get; set; }

    /// <summary><see cref="MaxStableLr"/> / <see cref="LrCrit"/>, for unclipped runs.</summary>
    public double? EdgeRatio { get; set; }

    public double? MinConvergedLr { get; set; }

    public double? MaxConvergedLr { get; set; }

    /// <summary>The learning rate that converged in the fewest steps, else the lowest final loss among finite runs.</summary>
    public double? BestLr { get; set; }

    public double? BestFinalLoss { get; set; }

    public double? BestFinalLossOriginal { get; set; }

    public int? BestConvergedAtStep { get; set; }
}
