using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// What every run of a group shares besides its setting: the problem's figures, the analytic bound and what theory
/// says of speed (<c>fastest_lr</c>) and, clipped, of staying finite (<c>lr_finite</c>).
/// </summary>
internal sealed record ProblemFigures(
    int Samples, int Features, double? InitialGradient, double? LambdaMax, double? LambdaMin, double? ConditionNumber, double? LrCrit)
{
    /// <summary>The norm of the gradient at the start (for several parameters, what a table shows).</summary>
    public double? InitialGradientNorm { get; init; }

    /// <summary>GD's rate of the best worst-case contraction, <c>2/(lambda_max + lambda_min)</c>.</summary>
    public double? FastestLr { get; init; }

    /// <summary>The steps theory predicts at <see cref="FastestLr"/> from the group's start.</summary>
    public long? FastestLrSteps { get; init; }

    /// <summary>A clipped group's rate above which the swing crosses the divergence threshold, by theory.</summary>
    public double? LrFinite { get; init; }
}
