using GdSweeps.Grid;
using GdSweeps.Training;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Results;

/// <summary>One kept step of a run: one row of <c>curves.parquet</c>.</summary>
public readonly record struct CurveResult(RunId RunId, CurvePoint Point);

/// <summary>The columns of <c>curves.parquet</c>, declared once: one row per kept step of each run, the state before the update at that step.</summary>
public static class CurveColumns
{
    public static Column<CurveResult, string?> RunId { get; } = Text<CurveResult>("run_id", r => r.RunId.ToString(), "as in `runs/`");

    public static Column<CurveResult, int> Step { get; } = Value<CurveResult, int>("step", r => r.Point.Step, "0 is the start; the last row of a run is `steps_run`");

    public static Column<CurveResult, double> Loss { get; } = Value<CurveResult, double>("loss", r => r.Point.Loss, "loss at this step");

    public static Column<CurveResult, double> Gradient { get; } = Value<CurveResult, double>("gradient", r => r.Point.Gradient,
        "first component of the gradient at this step, before clipping (`dL/dw` for one feature)");

    public static Column<CurveResult, double> GradientNorm { get; } = Value<CurveResult, double>("gradient_norm", r => r.Point.GradientNorm,
        "norm of the full-batch gradient at this step");

    public static Column<CurveResult, double> W { get; } = Value<CurveResult, double>("w", r => r.Point.W, "first weight at this step");

    public static IReadOnlyList<RowColumn<CurveResult>> All { get; } = [RunId, Step, Loss, Gradient, GradientNorm, W];

    /// <summary>The curve rows of the given runs, in order.</summary>
    public static List<CurveResult> Rows(IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes)
    {
        var rows = new List<CurveResult>(outcomes.Sum(o => o.Curve.Length));
        for (var i = 0; i < runs.Count; i++)
        {
            foreach (var point in outcomes[i].Curve)
            {
                rows.Add(new CurveResult(runs[i].Id, point));
            }
        }

        return rows;
    }
}
