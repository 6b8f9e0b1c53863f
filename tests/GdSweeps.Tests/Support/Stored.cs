using GdSweeps.Analysis;
using GdSweeps.Results;

namespace GdSweeps.Tests.Support;

/// <summary>A stored run as the tests look at it, read through the library's own reader.</summary>
internal sealed record RunRow(
    string RunId, string GroupId, long RunIndex, bool Refinement, string Dataset, string Transform, string W0Label, string OptimizerLabel,
    double? Clip, int Seed, int Steps, double LearningRate, string Status, string? Error, int StepsRun, int? DivergedAtStep,
    int? ConvergedAtStep, double? InitialLoss, double FinalLoss, double? FinalLossOriginal, double? InitialGradient, double? InitialGradientNorm,
    double? FinalW, double? WStar, double? LrCrit);

/// <summary>A row of summary.parquet as the tests look at it.</summary>
internal sealed record SummaryRow(
    string Dataset, string Transform, string Optimizer, string OptimizerLabel, double? Clip, int Runs, int RefinementRuns,
    double? LambdaMax, double? LrCrit, double? MaxStableLr, double? MinUnstableLr, double? EdgeRatio, double? BestLr);

/// <summary>Reads stored files into rows for assertions.</summary>
internal static class Stored
{
    /// <summary>The table's parts of a folder: <c>runs/part-*.parquet</c> (or curves), in order.</summary>
    public static string[] Parts(string dir, string table = ResultFolder.RunsFolder) =>
        Directory.Exists(Path.Combine(dir, table)) ? [.. Directory.GetFiles(Path.Combine(dir, table), "*.parquet").Order(StringComparer.Ordinal)] : [];

    /// <summary>
    /// Every byte of the runs and curves tables, file by file, with the files' names: equal when the folders hold the
    /// same table.
    /// </summary>
    public static byte[] TableBytes(string dir) =>
        [.. Parts(dir).Concat(Parts(dir, ResultFolder.CurvesFolder)).SelectMany(f => System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(dir, f)).Concat(File.ReadAllBytes(f)))];

    /// <summary>Every run stored in the table of folder <paramref name="dir"/>, in order.</summary>
    public static async Task<List<RunRow>> RunsAsync(string dir)
    {
        var rows = new List<RunRow>();
        foreach (var c in (await Task.WhenAll(Parts(dir).Select(async p => await (await Tables.OfFileAsync<RunResult>(p, default)).ReadAsync(p)))).SelectMany(x => x))
        {
            for (var i = 0; i < c.Count; i++)
            {
                rows.Add(new RunRow(
                    c.Get(RunColumns.RunId)[i]!, c.Get(RunColumns.GroupId)[i]!, c.Get(RunColumns.RunIndex)[i], c.Get(RunColumns.Refinement)[i],
                    c.Get<string?>("dataset")[i]!, c.Get<string?>("transform")[i]!, c.Get<string?>("w0_label")[i]!, c.Get<string?>("optimizer_label")[i]!,
                    c.Get<double?>("clip")[i], c.Get<int>("seed")[i], c.Get<int>("steps")[i], c.Get(RunColumns.LearningRate)[i],
                    c.Get(RunColumns.Status)[i]!, c.Get(RunColumns.Error)[i], c.Get(RunColumns.StepsRun)[i], c.Get(RunColumns.DivergedAtStep)[i],
                    c.Get(RunColumns.ConvergedAtStep)[i], c.Get(RunColumns.InitialLoss)[i], c.Get(RunColumns.FinalLoss)[i], c.Get(RunColumns.FinalLossOriginal)[i],
                    c.Get(BuiltinColumns.InitialGradient)[i], c.Get(RunColumns.InitialGradientNorm)[i], c.Get(BuiltinColumns.FinalW)[i], c.Get(BuiltinColumns.WStar)[i],
                    c.Get(RunColumns.LrCrit)[i]));
            }
        }

        return rows;
    }

    public static async Task<List<SummaryRow>> SummaryAsync(string directory)
    {
        var rows = new List<SummaryRow>();
        var path = Path.Combine(directory, SummaryFiles.SummaryFileName);
        foreach (var c in await (await Tables.OfFileAsync<GdSweeps.Analysis.GroupSummary>(path, default)).ReadAsync(path))
        {
            for (var i = 0; i < c.Count; i++)
            {
                rows.Add(new SummaryRow(
                    c.Get<string?>("dataset")[i]!, c.Get<string?>("transform")[i]!, Text(c, "optimizer", i), Text(c, "optimizer_label", i),
                    c.Get<double?>("clip")[i], c.Get<int>("runs")[i], c.Get<int>("refinement_runs")[i], c.Get<double?>("lambda_max")[i],
                    c.Get<double?>("lr_crit")[i], c.Get<double?>("max_stable_lr")[i], c.Get<double?>("min_unstable_lr")[i],
                    c.Get<double?>("edge_ratio")[i], c.Get<double?>("best_lr")[i]));
            }
        }

        return rows;
    }

    /// <summary>
    /// A text column's value, or "-" where the table has no such column (a command trainer's sweep has no optimizer).
    /// </summary>
    private static string Text<TRow>(Chunk<TRow> c, string column, int i) => c.Has(column) ? c.Get<string?>(column)[i]! : "-";

    /// <summary>Every curve row of the folder's curves table.</summary>
    public static async Task<List<(long RunIndex, int Step, double Loss, double Gradient, double? GradientNorm, double W)>> CurvesAsync(string dir)
    {
        var rows = new List<(long, int, double, double, double?, double)>();
        foreach (var c in (await Task.WhenAll(Parts(dir, ResultFolder.CurvesFolder).Select(p => CurvesFile.Table.ReadAsync(p)))).SelectMany(x => x))
        {
            for (var i = 0; i < c.Count; i++)
            {
                rows.Add((c.Get(CurveColumns.RunIndex)[i], c.Get(CurveColumns.Step)[i], c.Get(CurveColumns.Loss)[i],
                    c.Get(CurveColumns.Gradient)[i], c.Get(CurveColumns.GradientNorm)[i], c.Get(CurveColumns.W)[i]));
            }
        }

        return rows;
    }

    /// <summary>
    /// Every stored row with every column by name, read through the table's own schema (a command trainer's columns
    /// included).
    /// </summary>
    public static async Task<List<Dictionary<string, object?>>> RowsByNameAsync(string dir)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var part in Parts(dir))
        {
            var schema = await RunSchema.ReadAsync(part, CancellationToken.None);
            foreach (var chunk in await schema.Runs.ReadAsync(part))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    rows.Add(schema.Runs.Columns.ToDictionary(c => c.Name, c => chunk.Stored(c).GetValue(i)));
                }
            }
        }

        return rows;
    }

    /// <summary>Every curve row with every column by name, through the runs' schema (a command trainer's curves too).</summary>
    public static async Task<List<Dictionary<string, object?>>> CurvesByNameAsync(string dir)
    {
        var rows = new List<Dictionary<string, object?>>();
        var schema = await RunSchema.ReadAsync(Parts(dir)[0], CancellationToken.None);
        foreach (var part in Parts(dir, ResultFolder.CurvesFolder))
        {
            foreach (var chunk in await schema.Curves.ReadAsync(part))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    rows.Add(schema.Curves.Columns.ToDictionary(c => c.Name, c => chunk.Stored(c).GetValue(i)));
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Records the file <paramref name="relative"/> of folder <paramref name="dir"/> as it now is, in the journals
    /// and the manifest (and the manifest's own record): a file put in place as a sweep would have recorded it, so
    /// only what it holds can tell it apart.
    /// </summary>
    public static void Rerecord(string dir, string relative)
    {
        var (bytes, sha) = Record(File.ReadAllBytes(Path.Combine(dir, relative)));
        var manifestPath = Path.Combine(dir, Manifest.FileName);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (var entry in manifest["files"]!.AsArray().Where(e => (string?)e!["file"] == relative))
        {
            (entry!["bytes"], entry["sha256"]) = (bytes, sha);
        }

        var text = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        File.WriteAllBytes(manifestPath, text);
        var (manifestBytes, manifestSha) = Record(text);
        foreach (var journal in Directory.GetFiles(Path.Combine(dir, ResultFolder.HiddenFolder), "journal-*.jsonl"))
        {
            var lines = File.ReadAllLines(journal).Select(line =>
            {
                var entry = System.Text.Json.Nodes.JsonNode.Parse(line)!;
                var file = (string?)entry["file"];
                if (file == relative)
                {
                    (entry["bytes"], entry["sha256"]) = (bytes, sha);
                }
                else if (file == Manifest.FileName)
                {
                    (entry["bytes"], entry["sha256"]) = (manifestBytes, manifestSha);
                }

                return entry.ToJsonString();
            });
            File.WriteAllLines(journal, [.. lines]);
        }

        static (long, string) Record(byte[] content) =>
            (content.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));
    }
}
