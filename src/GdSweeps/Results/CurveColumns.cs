using GdSweeps.Grid;
using GdSweeps.Training;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Results;

/// <summary>One kept step of a run: one row of the curves table.</summary>
/// <param name="RunIndex">The run's <c>run_index</c>: its key in the runs table of the same folder.</param>
/// <param name="Command">A command trainer's run: what it reported at this point beyond the curve point (its
/// <paramref name="Row"/>-th).</param>
internal readonly record struct CurveResult(long RunIndex, CurvePoint Point, CommandRecord? Command = null, int Row = 0);

/// <summary>
/// The columns of <c>curves.parquet</c>, declared once: one row per kept step of each run, the state before the update
/// at that step.
/// </summary>
internal static class CurveColumns
{
    /// <remarks>The key is the run's index rather than its 16-character id: a number per row costs a tenth of a string
    /// to store and read.</remarks>
    public static Column<CurveResult, long> RunIndex { get; } = Value<CurveResult, long>("run_index", r => r.RunIndex,
        "the run's `run_index` in `runs/` of the same folder: join the two on it");

    public static Column<CurveResult, int> Step { get; } = Value<CurveResult, int>("step", r => r.Point.Step, "0 is the start; the last row of a run is `steps_run`");

    public static Column<CurveResult, double> Loss { get; } = Value<CurveResult, double>("loss", r => r.Point.Loss, "loss at this step");

    public static Column<CurveResult, double> Gradient { get; } = Value<CurveResult, double>("gradient", r => r.Point.Gradient,
        "first component of the gradient at this step, before clipping (`dL/dw` for one feature)");

    /// <remarks>With one parameter the norm is the gradient's magnitude, a quarter of a big sweep's bytes: stored as
    /// null then.</remarks>
    public static Column<CurveResult, double?> GradientNorm { get; } = Optional<CurveResult, double>("gradient_norm", r => r.Point.GradientNorm,
        "norm of the full-batch gradient at this step", "the model has one parameter: the norm is then `abs(gradient)`");

    public static Column<CurveResult, double> W { get; } = Value<CurveResult, double>("w", r => r.Point.W, "first weight at this step");

    public static IReadOnlyList<RowColumn<CurveResult>> All { get; } = [RunIndex, Step, Loss, Gradient, GradientNorm, W];

    /// <summary>
    /// The curve rows of the given runs, in order, as a chunk of every column (filled directly: the hot path of a big
    /// sweep).
    /// </summary>
    public static Chunk<CurveResult> Chunk(IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes)
    {
        var count = 0;
        foreach (var outcome in outcomes)
        {
            count += outcome.Curve.Count;
        }

        var (index, step, loss, gradient, norm, w) = (new long[count], new int[count], new double[count], new double[count], new double?[count], new double[count]);
        var row = 0;
        for (var i = 0; i < runs.Count; i++)
        {
            var oneParameter = runs[i].Problem.Parameters == 1;
            foreach (var point in outcomes[i].Curve)
            {
                (index[row], step[row], loss[row], gradient[row], w[row]) = (runs[i].Index, point.Step, point.Loss, point.Gradient, point.W);
                norm[row] = oneParameter ? null : point.GradientNorm;
                row++;
            }
        }

        var chunk = new Chunk<CurveResult>(count);
        chunk.Set(RunIndex, index);
        chunk.Set(Step, step);
        chunk.Set(Loss, loss);
        chunk.Set(Gradient, gradient);
        chunk.Set(GradientNorm, norm);
        chunk.Set(W, w);
        return chunk;
    }
}
