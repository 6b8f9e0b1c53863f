using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>The schema of <c>curves.parquet</c>: one row per kept step of each run.</summary>
public static class CurvesFile
{
    public const string FileName = "curves.parquet";

    private static readonly Table<CurveRow> Table = new(
    [
        Column.Of<CurveRow>("run_id", r => r.RunId, (r, v) => r.RunId = v),
        Column.Of<CurveRow, int>("step", r => r.Step, (r, v) => r.Step = v),
        Column.Of<CurveRow, double>("loss", r => r.Loss, (r, v) => r.Loss = v),
        Column.Of<CurveRow, double>("gradient", r => r.Gradient, (r, v) => r.Gradient = v),
        Column.Of<CurveRow, double>("gradient_norm", r => r.GradientNorm, (r, v) => r.GradientNorm = v),
        Column.Of<CurveRow, double>("w", r => r.W, (r, v) => r.W = v),
    ]);

    public static ParquetSchema Schema => Table.Schema;

    public static Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<CurveRow> rows, CancellationToken ct) =>
        Table.WriteRowGroupAsync(writer, rows, ct);

    public static Task<List<CurveRow>> ReadAsync(string path, CancellationToken ct = default) => Table.ReadAsync(path, ct);
}
