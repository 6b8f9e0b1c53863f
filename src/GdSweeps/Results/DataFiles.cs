using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GdSweeps.Plan;
using GdSweeps.Transforms;
using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>
/// One problem's transformed data as stored in <c>data/</c>: the CSV, the Parquet file and the JSON that describes
/// them.
/// </summary>
internal sealed record DataFile(Problem Problem, StoredFile Csv, StoredFile Parquet, StoredFile Meta);

/// <summary>
/// Writes the transformed data of every (dataset, transform) of a command trainer's sweep once, into <c>data/</c> of
/// the
/// results folder: CSV and Parquet with the transformed features, the transformed target <c>y</c> and the raw target
/// <c>y_raw</c>, and a JSON file with the fitted transform's parameters (so a script can map predictions back to the
/// units of y). Preprocessing stays the tool's axis: one script serves every transform and every data source.
/// </summary>
internal static class DataFiles
{
    public const string Folder = "data";

    public static async Task<List<DataFile>> WriteAsync(ResultFolder folder, IEnumerable<Problem> problems, CancellationToken ct)
    {
        var files = new List<DataFile>();
        foreach (var problem in problems)
        {
            ct.ThrowIfCancellationRequested();
            var stem = $"{Folder}/{Stem(problem)}";
            var columns = Columns(problem);
            var csv = await folder.WriteTextAsync(stem + ".csv", Csv(columns), ct);
            var parquet = await folder.WriteAsync(stem + ".parquet", s => ParquetAsync(s, columns, ct), ct);
            var meta = await folder.WriteTextAsync(stem + ".json", Meta(problem, columns, Path.GetFileName(csv.File), Path.GetFileName(parquet.File)), ct);
            files.Add(new DataFile(problem, csv, parquet, meta));
        }

        return files;
    }

    /// <summary>
    /// A file name that says what the data is and cannot collide: the dataset and transform made safe, and a hash of
    /// both exactly.
    /// </summary>
    public static string Stem(Problem problem)
    {
        static string Safe(string text) => new([.. text.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        var exact = SHA256.HashData(Encoding.UTF8.GetBytes($"{problem.Dataset.Name}\n{problem.Dataset.Fingerprint}\n{problem.Transform.Label}"));
        return $"{Safe(problem.Dataset.Name)}.{Safe(problem.Transform.Label)}.{Convert.ToHexStringLower(exact)[..8]}";
    }

    /// <summary>
    /// The columns in order: the transformed features (by the dataset's names, unless they clash), <c>y</c>,
    /// <c>y_raw</c>.
    /// </summary>
    private static List<(string Name, double[] Values)> Columns(Problem problem)
    {
        var names = problem.Dataset.FeatureNames;
        if (names.Distinct().Count() != names.Count || names.Any(n => n is "y" or "y_raw" || n.Length == 0))
        {
            names = [.. Enumerable.Range(0, problem.Features).Select(j => $"x{j}")];
        }

        var columns = new List<(string, double[])>();
        for (var j = 0; j < problem.Features; j++)
        {
            var column = new double[problem.Count];
            for (var i = 0; i < column.Length; i++)
            {
                column[i] = problem.Z[(i * problem.Parameters) + j];
            }

            columns.Add((names[j], column));
        }

        columns.Add(("y", problem.Y));
        columns.Add(("y_raw", problem.Dataset.Y));
        return columns;
    }

    private static string Csv(List<(string Name, double[] Values)> columns)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(c => Quote(c.Name))).Append('\n');
        for (var i = 0; i < columns[0].Values.Length; i++)
        {
            text.AppendJoin(',', columns.Select(c => c.Values[i].ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string name) =>
        name.Any(c => c is ',' or '"' or '\n' or '\r') ? $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : name;

    private static async Task ParquetAsync(Stream stream, List<(string Name, double[] Values)> columns, CancellationToken ct)
    {
        var fields = columns.Select(c => new DataField<double>(c.Name)).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, ParquetSettings.Options, cancellationToken: ct);
        using var group = writer.CreateRowGroup();
        for (var k = 0; k < fields.Length; k++)
        {
            await group.WriteAsync<double>(fields[k], columns[k].Values, cancellationToken: ct);
        }
    }

    private static string Meta(Problem problem, List<(string Name, double[] Values)> columns, string csv, string parquet)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("dataset");
            json.WriteString("name", problem.Dataset.Name);
            json.WriteString("fingerprint", problem.Dataset.Fingerprint);
            json.WriteNumber("samples", problem.Count);
            json.WriteNumber("features", problem.Features);
            json.WriteEndObject();
            json.WriteString("transform", problem.Transform.Label);
            json.WriteString("csv", csv);
            json.WriteString("parquet", parquet);
            json.WriteStartArray("x");
            for (var j = 0; j < problem.Features; j++)
            {
                json.WriteStartObject();
                json.WriteString("column", columns[j].Name);
                Steps(json, problem.XFits[j]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("y");
            json.WriteString("column", "y");
            json.WriteString("raw_column", "y_raw");
            Steps(json, problem.YFit);
            json.WriteEndObject();
            json.WriteString("steps_mean",
                "each step maps v to (f(v) - shift) / scale, f being log1p for log1p, log for log, the identity otherwise; a prediction t of y maps back to the units of y_raw by undoing the steps last to first: t * scale + shift, then expm1 (log1p) or exp (log)");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Steps(Utf8JsonWriter json, FittedPipeline pipeline)
    {
        json.WriteStartArray("steps");
        foreach (var step in pipeline.Steps)
        {
            json.WriteStartObject();
            json.WriteString("transform", Transform.Name(step.Kind));
            json.WriteNumber("shift", step.Shift);
            json.WriteNumber("scale", step.Scale);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
