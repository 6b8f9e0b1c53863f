using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// What every run of a group shares besides its setting: the problem's figures and the analytic bound.
/// </summary>
internal sealed record ProblemFigures(
    int Samples, int Features, double? InitialGradient, double? LambdaMax, double? LambdaMin, double? ConditionNumber, double? LrCrit);
