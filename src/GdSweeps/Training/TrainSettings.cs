namespace GdSweeps.Training;

/// <summary>The settings every run of a sweep shares.</summary>
/// <param name="DivergenceThreshold">A run whose loss exceeds this (or is not finite) has diverged.</param>
/// <param name="Tolerance">A run has converged when its distance to the optimum fell below this fraction of where it
/// started.</param>
/// <param name="PerSample">Compute every full-batch step over the samples instead of from the sums.</param>
internal sealed record TrainSettings(double DivergenceThreshold = 1e12, double Tolerance = 1e-6, bool PerSample = false);
