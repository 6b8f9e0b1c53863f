namespace GdSweeps.Training;

/// <summary>The state of a run before the update at <see cref="Step"/>: its weight, loss and (unclipped) gradient.</summary>
public readonly record struct CurvePoint(int Step, double Loss, double Gradient, double W);
