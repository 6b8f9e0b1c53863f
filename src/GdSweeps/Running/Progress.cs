namespace GdSweeps.Running;

/// <summary>How far a phase of a sweep has come: runs, refinement rounds, analysis, reports.</summary>
/// <param name="Phase">What is being done: <c>runs</c>, <c>refinement N</c>, <c>analysis</c>, <c>reports</c>.</param>
/// <param name="Unit">What <paramref name="Done"/> counts: <c>runs</c>, <c>steps</c>.</param>
internal readonly record struct Progress(string Phase, long Done, long Total, string Unit = "runs");
