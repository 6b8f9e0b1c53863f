using GdSweeps.Training;

namespace GdSweeps.Grid;

/// <summary>One run of a sweep: a point of the grid, with the id that names it across reruns, resumes and shards.</summary>
public sealed record RunSpec(
    long Index, string RunId, LinearProblem Problem, double W0, double LearningRate, double? Clip, int Steps);
