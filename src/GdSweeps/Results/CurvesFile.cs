using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>The schema of <c>curves.parquet</c>: one row per kept step of each run.</summary>
public static class CurvesFile
{
    public const string FileName = "curves.parquet";

    private static readonly DataField<string> RunId = new("run_id", false);
    private static readonly DataField<int> Step = new("step");
    private static readonly DataField<double> Loss = new("loss");
    private static readonly DataField<double> Gradient = new("gradient");
    private static readonly DataField<double> W = new("w");

    public static ParquetSchema Schema { get; } = new(RunId, Step, Loss, Gradient, W);

    public static async Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<CurveRow> rows, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(RunId, RunsFile.Column(rows, r => r.RunId));
        await group.WriteAsync<int>(Step, RunsFile.Column(rows, r => r.Step), cancellationToken: ct);
        await group.WriteAsync<double>(Loss, RunsFile.Column(rows, r => r.Loss), cancellationToken: ct);
        await group.WriteAsync<double>(Gradient, RunsFile.Column(rows, r => r.Gradient), cancellationToken: ct);
        await group.WriteAsync<double>(W, RunsFile.Column(rows, r => r.W), cancellationToken: ct);
    }

    public static async Task<List<CurveRow>> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        var rows = new List<CurveRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            var runId = new string[n];
            var step = new int[n];
            var loss = new double[n];
            var gradient = new double[n];
            var w = new double[n];
            await group.ReadAsync(RunId, runId, cancellationToken: ct);
            await group.ReadAsync<int>(Step, step, cancellationToken: ct);
            await group.ReadAsync<double>(Loss, loss, cancellationToken: ct);
            await group.ReadAsync<double>(Gradient, gradient, cancellationToken: ct);
            await group.ReadAsync<double>(W, w, cancellationToken: ct);
            for (var i = 0; i < n; i++)
            {
                rows.Add(new CurveRow(runId[i], step[i], loss[i], gradient[i], w[i]));
            }
        }

        return rows;
    }
}
