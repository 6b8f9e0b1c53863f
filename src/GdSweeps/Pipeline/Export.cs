using System.Globalization;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Results;

namespace GdSweeps.Pipeline;

/// <summary>
/// <c>gdsweeps export</c>: a table of a results folder as CSV or JSON lines, for readers without Parquet (Python
/// without pyarrow, spreadsheets, jq). Streams one row group at a time, so memory does not grow with the table; the
/// columns keep their Parquet names and order, and null is an empty field (CSV) or <c>null</c> (JSON).
/// </summary>
internal static class Export
{
    public static readonly string[] TableNames = ["runs", "summary", "transfer", "curves"];

    public static readonly string[] Formats = ["csv", "jsonl"];

    /// <summary>The folder holds nothing to export, or the table cannot be read; the message says why.</summary>
    public sealed class ExportException(string message, bool badInput = false) : Exception(message)
    {
        public bool BadInput { get; } = badInput;
    }

    /// <summary>What was written: rows and the files they came from.</summary>
    /// <param name="Notes">What an unfinished sweep's export leaves out, and why (damaged parts, runs kept for the
    /// resume).</param>
    public sealed record Outcome(long Rows, int Files, bool Complete, IReadOnlyList<string> Notes);

    /// <summary>
    /// Writes table <paramref name="table"/> of the folder <paramref name="directory"/> to <paramref name="output"/>:
    /// a finished sweep's whole table, or an unfinished one's runs (or curves) stored so far.
    /// </summary>
    public static async Task<Outcome> WriteAsync(string directory, string table, string format, Stream output, CancellationToken ct)
    {
        var (files, complete, notes) = await Sources(directory, table, ct);
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            Table<object>? first = null;
            string? firstFile = null;
            long rows = 0;
            foreach (var file in files)
            {
                var path = Path.Combine(directory, file);
                var columns = await Tables.OfFileAsync<object>(path, ct);
                if (first is null)
                {
                    (first, firstFile) = (columns, file);
                    if (format == "csv")
                    {
                        await writer.WriteLineAsync(string.Join(',', columns.Columns.Select(c => Csv(c.Name))));
                    }
                }
                else if (!columns.Columns.Select(c => (c.Name, c.Type)).SequenceEqual(first.Columns.Select(c => (c.Name, c.Type))))
                {
                    throw new ExportException($"{file} holds other columns than {firstFile}: the folder mixes sweeps; rerun the sweep");
                }

                await using var stream = StoredFiles.OpenRead(path);
                await first.ForEachRowGroupAsync(stream, chunk =>
                {
                    WriteChunk(writer, first.Columns, chunk, format);
                    rows += chunk.Count;
                    return Task.CompletedTask;
                }, null, ct);
            }

            await writer.FlushAsync(ct);
            return new Outcome(rows, files.Count, complete, notes);
        }
    }

    /// <summary>
    /// The stored files of <paramref name="table"/>, in order, each checked against its record, and whether the sweep
    /// is finished.
    /// </summary>
    private static async Task<(List<string> Files, bool Complete, List<string> Notes)> Sources(string directory, string table, CancellationToken ct)
    {
        Manifest? manifest;
        try
        {
            manifest = Manifest.Read(Path.Combine(directory, Manifest.FileName));
        }
        catch (InvalidDataException e)
        {
            throw new ExportException($"{e.Message}; rerun the sweep to rebuild the folder");
        }

        var shards = Directory.Exists(directory) ? Directory.GetFiles(directory, "manifest-*.json") : [];
        if (manifest is null && shards.Length == 0)
        {
            throw new ExportException($"{directory} holds no sweep (no manifest.json): run the sweep first.", badInput: true);
        }

        var complete = manifest is { State: "complete", GridParts: not null };
        if (table is "summary" or "transfer")
        {
            if (!complete)
            {
                throw new ExportException($"{directory}: {table}.parquet is written when the sweep completes; the sweep is {(manifest?.State ?? "sharded, not merged")}: export its runs, or see how it stands with: gdsweeps report {directory}");
            }

            var name = table == "summary" ? SummaryFiles.SummaryFileName : SummaryFiles.TransferFileName;
            var file = manifest!.Files.FirstOrDefault(f => f.File == name) ?? throw new ExportException($"{name} is not in {directory}'s manifest: run gdsweeps report {directory} to rebuild it");
            return ResultFolder.Verify(directory, file, out var problem)
                ? ([name], true, [])
                : throw new ExportException($"{name} failed its check ({problem}): run gdsweeps report {directory} to rebuild it");
        }

        if (complete)
        {
            try
            {
                return ([.. Committed.Finished(directory, manifest!).Select(p => table == "curves" ? p.Curves.File : p.Runs.File)], true, []);
            }
            catch (InvalidDataException e)
            {
                throw new ExportException(e.Message);
            }
        }

        // Unfinished: the parts holding the sweep's own runs, as its report so far counts them.
        PartialReport.Selection selection;
        try
        {
            selection = await PartialReport.SelectAsync(directory, Rebuild.Unfinished(directory, ct).Members, ct);
        }
        catch (Rebuild.ReportException e)
        {
            throw new ExportException(e.Message, e.BadInput);
        }

        var notes = selection.Damaged.Select(d => $"{d}: its runs are left out").ToList();
        if (selection.Kept > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{selection.Kept:N0} more runs finished as the sweep was stopped are kept for the resume (in {ResultFolder.ReuseFolder}) and join the table when it resumes; not exported"));
        }

        if (selection.Table.Count == 0)
        {
            notes.Add("no run of the sweep is in its table yet: nothing to export");
        }

        return ([.. selection.Table.Select(p => table == "curves" ? p.Curves.File : p.Runs.File)], false, notes);
    }

    private static void WriteChunk(StreamWriter writer, IReadOnlyList<RowColumn<object>> columns, Chunk<object> chunk, string format)
    {
        var values = columns.Select(c => chunk.Stored(c)).ToArray();
        var names = columns.Select(c => "\"" + Json(c.Name) + "\":").ToArray();
        Span<char> buffer = stackalloc char[64];
        for (var row = 0; row < chunk.Count; row++)
        {
            if (format == "jsonl")
            {
                writer.Write('{');
            }

            for (var c = 0; c < values.Length; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                if (format == "jsonl")
                {
                    writer.Write(names[c]);
                }

                WriteValue(writer, values[c], row, format == "jsonl", buffer);
            }

            writer.Write(format == "jsonl" ? "}\n" : "\n");
        }
    }

    /// <summary>One value: numbers in the shortest form that reads back exactly; null as nothing (CSV) or <c>null</c>.</summary>
    private static void WriteValue(StreamWriter writer, Array column, int row, bool json, Span<char> buffer)
    {
        switch (column)
        {
            case string?[] s:
                if (s[row] is { } text)
                {
                    if (json)
                    {
                        writer.Write('"');
                        writer.Write(text.AsSpan().IndexOfAny(NeedEscape) < 0 ? text : Json(text));
                        writer.Write('"');
                    }
                    else
                    {
                        writer.Write(Csv(text));
                    }
                }
                else if (json)
                {
                    writer.Write("null");
                }

                break;
            case double[] d:
                WriteDouble(writer, d[row], json, buffer);
                break;
            case double?[] d:
                if (d[row] is { } x)
                {
                    WriteDouble(writer, x, json, buffer);
                }
                else if (json)
                {
                    writer.Write("null");
                }

                break;
            case int[] i:
                i[row].TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
                writer.Write(buffer[..n]);
                break;
            case long[] l:
                l[row].TryFormat(buffer, out n, default, CultureInfo.InvariantCulture);
                writer.Write(buffer[..n]);
                break;
            case int?[] i:
                WriteInteger(writer, i[row], json, buffer);
                break;
            case long?[] l:
                WriteInteger(writer, l[row], json, buffer);
                break;
            case bool[] b:
                writer.Write(b[row] ? "true" : "false");
                break;
            case bool?[] b:
                writer.Write(b[row] is { } v ? (v ? "true" : "false") : json ? "null" : "");
                break;
            default:
                throw new InvalidDataException($"a column stored as {column.GetType().GetElementType()!.Name}, which GdSweeps never writes");
        }
    }

    private static void WriteInteger(StreamWriter writer, long? value, bool json, Span<char> buffer)
    {
        if (value is { } v)
        {
            v.TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
        }
        else if (json)
        {
            writer.Write("null");
        }
    }

    /// <summary>
    /// A double as the shortest text that reads back to the same value, always with a point or an exponent (so it
    /// reads back as a double); infinities and NaN as <c>inf</c>, <c>-inf</c>, <c>nan</c> in CSV (what pandas, Polars
    /// and DuckDB read as floats) and as the strings <c>"Infinity"</c>, <c>"-Infinity"</c>, <c>"NaN"</c> in JSON lines
    /// (JSON has no such numbers; strings keep every line valid JSON for jq and JavaScript, and Python's float()
    /// reads them).
    /// </summary>
    private static void WriteDouble(StreamWriter writer, double value, bool json, Span<char> buffer)
    {
        if (double.IsFinite(value))
        {
            value.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
            if (buffer[..n].IndexOfAny('.', 'E') < 0)
            {
                writer.Write(".0"); // a double reads back as one (1.0, not the integer 1; -0.0 keeps its sign)
            }
        }
        else
        {
            writer.Write(double.IsNaN(value) ? (json ? "\"NaN\"" : "nan") : value > 0 ? (json ? "\"Infinity\"" : "inf") : (json ? "\"-Infinity\"" : "-inf"));
        }
    }

    /// <summary>A CSV field: quoted when it holds a comma, a quote, a line break or edge spaces (RFC 4180).</summary>
    private static string Csv(string text) =>
        text.Length > 0 && text.AsSpan().IndexOfAny(",\"\r\n") < 0 && text[0] != ' ' && text[^1] != ' '
            ? text
            : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The characters a JSON string must escape: quote, backslash and the control characters.</summary>
    private static readonly System.Buffers.SearchValues<char> NeedEscape =
        System.Buffers.SearchValues.Create("\"\\" + string.Concat(Enumerable.Range(0, 32).Select(c => (char)c)));

    /// <summary>The inside of a JSON string.</summary>
    private static string Json(string text)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(text, ExportJson.Default.String);
        return json[1..^1];
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class ExportJson : System.Text.Json.Serialization.JsonSerializerContext;
