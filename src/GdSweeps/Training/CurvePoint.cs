namespace GdSweeps.Training;

/// <summary>
/// The state of a run before the update at <see cref="Step"/>: loss, first gradient component and gradient norm (before
/// clipping), and first weight.
/// </summary>
internal readonly record struct CurvePoint(int Step, double Loss, double Gradient, double GradientNorm, double W);
