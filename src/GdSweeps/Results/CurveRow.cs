namespace GdSweeps.Results;

/// <summary>One row of <c>curves.parquet</c>: a run's state before the update at <see cref="Step"/>.</summary>
public sealed class CurveRow
{
    public string RunId { get; set; } = "";

    public int Step { get; set; }

    public double Loss { get; set; }

    /// <summary>The first component of the gradient, before clipping.</summary>
    public double Gradient { get; set; }

    public double GradientNorm { get; set; }

    /// <summary>The first weight.</summary>
    public double W { get; set; }
}
