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

    /// <summary>Curve rows per row group at most: each column of a group then stays under the large-object heap's 85 KB.</summary>
    public const int RowGroupRows = 8192;

    /// <summary>Writes <paramref name="rows"/> as row groups of at most <see cref="RowGroupRows"/> rows.</summary>
    public static async Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<CurveRow> rows, CancellationToken ct)
    {
        if (rows.Count <= RowGroupRows)
        {
            await Table.WriteRowGroupAsync(writer, rows, ct);
            return;
        }

        var list = rows as List<CurveRow> ?? [.. rows];
        for (var start = 0; start < list.Count; start += RowGroupRows)
        {
            await Table.WriteRowGroupAsync(writer, list.GetRange(start, Math.Min(RowGroupRows, list.Count - start)), ct);
        }
    }

    public static Task<List<CurveRow>> ReadAsync(string path, CancellationToken ct = default) => Table.ReadAsync(path, ct);

    /// <summary>The curves of <paramref name="runIds"/> only, reading the other columns only of row groups that hold one of them.</summary>
    public static async Task<Dictionary<string, List<CurveRow>>> ReadForRunsAsync(string path, IReadOnlySet<string> runIds, CancellationToken ct = default)
    {
        var result = new Dictionary<string, List<CurveRow>>(StringComparer.Ordinal);
        if (runIds.Count == 0)
        {
            return result;
        }

        await using var reader = await ParquetReader.CreateAsync(path, ParquetSettings.Options, cancellationToken: ct);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var ids = new string[group.RowCount];
            await group.ReadAsync(Table.Columns[0].Field, ids, cancellationToken: ct);
            if (!ids.Any(runIds.Contains))
            {
                continue;
            }

            var rows = Enumerable.Range(0, ids.Length).Select(_ => new CurveRow()).ToArray();
            foreach (var column in Table.Columns)
            {
                await column.ReadAsync(group, rows, ct);
            }

            foreach (var row in rows.Where(r => runIds.Contains(r.RunId)))
            {
                if (!result.TryGetValue(row.RunId, out var list))
                {
                    list = [];
                    result[row.RunId] = list;
                }

                list.Add(row);
            }
        }

        return result;
    }
}
