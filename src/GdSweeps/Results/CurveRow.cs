namespace GdSweeps.Results;

/// <summary>One row of <c>curves.parquet</c>: a run's state before the update at <see cref="Step"/>.</summary>
public readonly record struct CurveRow(string RunId, int Step, double Loss, double Gradient, double W);
