using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// What a command's run said about its sharpness, against <c>2/lr</c>: the largest and smallest ratio <c>sharpness * lr
/// / 2</c> it reported.
/// </summary>
internal readonly record struct SharpnessPoint(double LearningRate, RunStatus Status, double? Sharpness0, double? RatioMax, double? RatioMin);
