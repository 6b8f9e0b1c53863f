using GdSweeps.Grid;

namespace GdSweeps.Analysis;

/// <summary>
/// What the runs of one group found: the runs that differ only in learning rate and seed. One row of
/// <c>summary.parquet</c>;
/// learning rates are those tried (grid and refinement), null where no run qualifies.
/// </summary>
internal sealed record GroupSummary
{
    public required RunId GroupId { get; init; }

    public required Setting Setting { get; init; }

    public required ProblemFigures Figures { get; init; }

    public int Runs { get; init; }

    public int RefinementRuns { get; init; }

    public int Seeds { get; init; }

    public int Diverged { get; init; }

    public int Failed { get; init; }

    /// <summary>Every run started at the optimum, so nothing about stability can be seen.</summary>
    public bool Uninformative { get; init; }

    /// <summary>The largest learning rate below which no run diverged (or was diverging at the end).</summary>
    public double? MaxStableLr { get; init; }

    /// <summary>The smallest learning rate at which some run diverged or was diverging.</summary>
    public double? MinUnstableLr { get; init; }

    /// <summary><see cref="MaxStableLr"/> / the analytic bound, for unclipped runs.</summary>
    public double? EdgeRatio { get; init; }

    /// <summary>
    /// Where the edge lay when it lay beyond the rates of the config's grid (found by refinement): <c>above</c> or
    /// <c>below</c>.
    /// </summary>
    public string? EdgeBeyondGrid { get; init; }

    /// <summary>
    /// The smallest rate of the converged range: consecutive rates, every run converged, around the fastest (see
    /// <c>RateRuns</c>).
    /// </summary>
    public double? MinConvergedLr { get; init; }

    public double? MaxConvergedLr { get; init; }

    /// <summary>
    /// The learning rate that converged in the fewest steps, else the lowest final loss among finite runs.
    /// </summary>
    public double? BestLr { get; init; }

    public double? BestFinalLoss { get; init; }

    public double? BestFinalLossOriginal { get; init; }

    public int? BestConvergedAtStep { get; init; }

    /// <summary>The group clips the gradient: it has a second edge, where its runs stop staying finite.</summary>
    public bool Clipped { get; init; }

    /// <summary>A clipped group's largest rate below which no run crossed the divergence threshold.</summary>
    public double? MaxFiniteLr { get; init; }

    /// <summary>A clipped group's smallest rate at which some run crossed the divergence threshold.</summary>
    public double? MinInfiniteLr { get; init; }

    /// <summary>
    /// The highest rate between the convergence verdicts (above the largest that converges, below the first that does
    /// not) whose run is still in transit: where the edge cannot be told within the budget.
    /// </summary>
    public double? InTransitLr { get; init; }

    /// <summary>The steps that run needs to arrive (<c>steps_to_arrive</c>).</summary>
    public int? InTransitSteps { get; init; }

    /// <summary>The highest rate at which a run stalled (approaching, not converged within the budget).</summary>
    public double? StalledLr { get; init; }

    /// <summary>The steps theory says it needs to converge (<c>predicted_converged_at_step</c>).</summary>
    public int? StalledSteps { get; init; }

    /// <summary>
    /// A command trainer's group: the largest sharpness its runs reported at step 0 (<c>lr_crit</c> is 2 over it).
    /// </summary>
    public double? Sharpness0 { get; init; }

    /// <summary>
    /// A command trainer's group: where the measured edge lies against <c>2/sharpness_0</c>, and why
    /// (<see cref="SharpnessEdge"/>).
    /// </summary>
    public string? SharpnessStatement { get; init; }

    /// <summary>The same in a few words, for a table cell.</summary>
    public string? SharpnessVerdict { get; init; }

    /// <summary>
    /// The group has both a largest stable and a first unstable rate: an edge to draw the runs around.
    /// </summary>
    public bool HasEdge => MaxStableLr is not null && MinUnstableLr is not null;
}

/// <summary>
/// For one setting (everything but the dataset, learning rate and seed): the learning rates that are stable for every
/// dataset of the sweep at once. One row of <c>transfer.parquet</c>.
/// </summary>
internal sealed record TransferSummary
{
    /// <summary>The setting, with an empty dataset.</summary>
    public required Setting Setting { get; init; }

    public int Datasets { get; init; }

    /// <summary>
    /// Smallest and largest learning rate of the longest run of tried rates that stayed stable on every dataset.
    /// </summary>
    public double? StableLow { get; init; }

    public double? StableHigh { get; init; }

    /// <summary>
    /// The converged range over every dataset: consecutive rates converged on all, around the fastest such rate.
    /// </summary>
    public double? ConvergedLow { get; init; }

    public double? ConvergedHigh { get; init; }

    /// <summary>
    /// No rate is stable, but where none was unstable runs were still in transit: none is known to be.
    /// </summary>
    public bool Unknown { get; init; }

    /// <summary>The answer in words: the shared interval, or that none exists (made when read: ten thousand settings'
    /// words would be megabytes held until the report).</summary>
    public string Statement => StabilityAnalysis.Statement(
        Datasets, StableLow is { } sl && StableHigh is { } sh ? (sl, sh) : null, ConvergedLow is { } cl && ConvergedHigh is { } ch ? (cl, ch) : null, Unknown);
}
