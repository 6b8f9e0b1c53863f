using GdSweeps.Grid;
using GdSweeps.Training;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Results;

/// <summary>
/// The columns of <c>curves/</c> in a command trainer's sweep: the steps the command reported, with the numbers it
/// reported at each (the built-in models' first gradient component and weight have no meaning there). Each declared
/// metric follows as <c>metric_&lt;name&gt;</c>.
/// </summary>
internal static class CommandCurveColumns
{
    public static Column<CurveResult, double?> GradientNorm { get; } = Optional<CurveResult, double>("gradient_norm",
        r => double.IsNaN(r.Point.GradientNorm) ? null : r.Point.GradientNorm, "the `grad_norm` the command reported at this step", "not reported at this step");

    public static Column<CurveResult, double?> Sharpness { get; } = Optional<CurveResult, double>("sharpness",
        r => r.Command?.CurveSharpness[r.Row], "the top Hessian eigenvalue the command reported at this step (compare it with `2/learning_rate`)", "not reported at this step");

    /// <summary>The run's key, step and loss as the built-in curves have them, then the command's own.</summary>
    public static IReadOnlyList<RowColumn<CurveResult>> All { get; } = [CurveColumns.RunIndex, CurveColumns.Step, CurveColumns.Loss, GradientNorm, Sharpness];

    /// <summary>The pattern of columns the declared metrics add, as docs/results-schema.md lists it.</summary>
    public static IReadOnlyList<Column> Patterns { get; } =
        [new PatternColumn(CommandColumns.MetricPrefix + "<name>", "double", "the declared metric `<name>` at this step", "not reported at this step")];

    public static RowColumn<CurveResult> Metric(string name) => Optional<CurveResult, double>(CommandColumns.MetricPrefix + name,
        r => r.Command?.CurveMetrics[name][r.Row], "the declared metric `<name>` at this step", "not reported at this step");

    /// <summary>
    /// The curve rows of the given runs, in order: every column of <paramref name="columns"/>, filled from each run's
    /// kept points.
    /// </summary>
    public static Chunk<CurveResult> Chunk(IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes, IReadOnlyList<RowColumn<CurveResult>> columns)
    {
        var rows = new List<CurveResult>();
        for (var i = 0; i < runs.Count; i++)
        {
            var curve = outcomes[i].Curve;
            for (var k = 0; k < curve.Count; k++)
            {
                rows.Add(new CurveResult(runs[i].Index, curve[k], outcomes[i].Command, k));
            }
        }

        var chunk = new Chunk<CurveResult>(rows.Count);
        foreach (var column in columns)
        {
            chunk.Set(column, column.Build(rows));
        }

        return chunk;
    }
}
