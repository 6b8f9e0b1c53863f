using System.Globalization;
using System.Text.Json;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary>
/// <c>gdsweeps export</c>, run as a process: every cell of the CSV and JSON lines reads back to the stored Parquet value,
/// pandas without pyarrow reads it, and bad input is said without leaving a file.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class ExportCommandTests
{
    /// <summary>The seed sweep, written with two runs a part so the export crosses parts.</summary>
    private static readonly Lazy<Task<string>> Seed = new(() => Some.SweepAsync(Some.Config(), batchSize: 37));

    [TestMethod]
    public async Task Every_cell_of_the_csv_reads_back_to_the_stored_value_null_as_an_empty_field()
    {
        var seed = await Seed.Value;
        var stored = await Stored.RowsByNameAsync(seed);
        var result = CliProcess.Run(seed, "export", seed);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        CollectionAssert.AreEqual(stored[0].Keys.ToArray(), header, "the columns, by name and in order, as runs/ stores them");
        Assert.HasCount(stored.Count + 1, lines);
        for (var r = 0; r < stored.Count; r++)
        {
            var cells = SplitCsv(lines[r + 1]);
            Assert.HasCount(header.Length, cells, lines[r + 1]);
            for (var c = 0; c < header.Length; c++)
            {
                AssertSame(stored[r][header[c]], cells[c], $"row {r}, {header[c]}");
            }
        }
    }

    [TestMethod]
    public async Task Every_value_of_the_json_lines_reads_back_to_the_stored_value_null_as_null()
    {
        var seed = await Seed.Value;
        foreach (var (table, stored) in new[] { ("runs", await Stored.RowsByNameAsync(seed)), ("curves", await Stored.CurvesByNameAsync(seed)) })
        {
            var result = CliProcess.Run(seed, "export", seed, "--table", table, "--format", "jsonl");
            Assert.AreEqual(0, result.ExitCode, result.Stderr);
            var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.HasCount(stored.Count, lines, table);
            for (var r = 0; r < stored.Count; r++)
            {
                using var row = JsonDocument.Parse(lines[r]);
                CollectionAssert.AreEqual(stored[r].Keys.ToArray(), row.RootElement.EnumerateObject().Select(p => p.Name).ToArray(), $"{table} row {r}");
                foreach (var property in row.RootElement.EnumerateObject())
                {
                    var expected = stored[r][property.Name];
                    var text = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => "",
                        JsonValueKind.String => property.Value.GetString()!,
                        _ => property.Value.GetRawText(),
                    };
                    if (expected is double d && property.Value.ValueKind == JsonValueKind.String && double.IsFinite(d))
                    {
                        Assert.Fail($"{table} row {r}, {property.Name}: a finite number written as a string");
                    }

                    if (expected is double && property.Value.ValueKind == JsonValueKind.Number)
                    {
                        StringAssert.Matches(text, new System.Text.RegularExpressions.Regex("[.E]"), $"{table} row {r}, {property.Name}: a double written as an integer");
                    }

                    AssertSame(expected, text, $"{table} row {r}, {property.Name}");
                }
            }
        }
    }

    [TestMethod]
    public async Task The_summary_exports_like_the_runs_and_pandas_without_pyarrow_reads_the_csv_to_the_same_figures()
    {
        var seed = await Seed.Value;
        var work = Some.TempDir();
        var csv = Path.Combine(work, "summary.csv");
        var result = CliProcess.Run(seed, "export", seed, "--table", "summary", "--out", csv);
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stderr, "wrote 16 rows of summary");
        var runs = Path.Combine(work, "runs.csv");
        Assert.AreEqual(0, CliProcess.Run(seed, "export", seed, "--out", runs).ExitCode);

        // Debian's Python, as a user without pyarrow has it: pandas reads the CSV as it is.
        var script = $$"""
            import importlib.util, pandas as pd
            assert importlib.util.find_spec("pyarrow") is None, "this test is about pandas without pyarrow"
            s = pd.read_csv({{JsonSerializer.Serialize(csv)}}, float_precision="round_trip")  # pandas' default parser may miss the last bit
            r = pd.read_csv({{JsonSerializer.Serialize(runs)}})
            plain = s[s["clip"].isna()].sort_values(["dataset", "transform"])
            for row in plain.itertuples():
                print(row.dataset, row.transform, repr(row.lr_crit), repr(row.max_stable_lr), repr(row.min_unstable_lr))
            print("runs", len(r), repr(r["learning_rate"].sum()), int(r["converged_at_step"].isna().sum()), r["status"].value_counts().to_dict()["diverged"])
            """;
        var python = Processes.Python(script);
        Assert.AreEqual(0, python.ExitCode, python.Stderr);

        var lines = python.Stdout.Trim().Split('\n');
        var summary = (await Stored.SummaryAsync(seed)).Where(s => s.Clip is null).OrderBy(s => s.Dataset, StringComparer.Ordinal).ThenBy(s => s.Transform, StringComparer.Ordinal).ToList();
        Assert.HasCount(summary.Count + 1, lines, python.Stdout);
        for (var i = 0; i < summary.Count; i++)
        {
            var words = lines[i].Split(' ');
            Assert.AreEqual($"{summary[i].Dataset} {summary[i].Transform}", $"{words[0]} {words[1]}");
            AssertSame(summary[i].LrCrit, Python(words[2]), lines[i]);
            AssertSame(summary[i].MaxStableLr, Python(words[3]), lines[i]);
            AssertSame(summary[i].MinUnstableLr, Python(words[4]), lines[i]);
        }

        var stored = await Stored.RunsAsync(seed);
        var last = lines[^1].Split(' ');
        Assert.AreEqual($"runs {stored.Count}", $"{last[0]} {last[1]}");
        Assert.AreEqual(stored.Sum(r => r.LearningRate), double.Parse(last[2], CultureInfo.InvariantCulture), 1e-12 * stored.Sum(r => r.LearningRate), "the learning rates' sum");
        Assert.AreEqual($"{stored.Count(r => r.ConvergedAtStep is null)} {stored.Count(r => r.Status == "diverged")}", $"{last[3]} {last[4]}", "nulls read as NaN, and the statuses");
    }

    /// <summary>A number as Python's repr prints it, as a cell would hold it (nan is null: pandas reads an empty cell as NaN).</summary>
    private static string Python(string repr) => repr == "nan" ? "" : repr;

    [TestMethod]
    public void A_folder_without_a_sweep_is_bad_input_and_a_table_not_yet_written_fails_leaving_no_file()
    {
        var work = Some.TempDir();
        var missing = CliProcess.Run(work, "export", Path.Combine(work, "nothing"));
        Assert.AreEqual(2, missing.ExitCode, missing.Stderr);
        StringAssert.Contains(missing.Stderr, "holds no sweep");

        var usage = CliProcess.Run(work, "export", work, "--format", "xlsx");
        Assert.AreEqual(2, usage.ExitCode);
        StringAssert.Contains(usage.Stderr, "--format takes one of csv, jsonl, got 'xlsx'");

        // A sweep stopped part-way: its runs so far export, its summary is not written yet.
        var slow = SlowSweep.Folder();
        using (var process = SlowSweep.StartAndWaitForParts(slow, 2))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var folder = Path.Combine(slow, "results", "slow");
        var out1 = Path.Combine(slow, "summary.csv");
        var summary = CliProcess.Run(slow, "export", folder, "--table", "summary", "--out", out1);
        Assert.AreEqual(1, summary.ExitCode, summary.Stderr);
        StringAssert.Contains(summary.Stderr, "summary.parquet is written when the sweep completes");
        Assert.IsFalse(File.Exists(out1), "nothing written for a failed export");
        Assert.IsEmpty(Directory.GetFiles(slow, ".*tmp"), "no temporary file left");

        var runs = CliProcess.Run(slow, "export", folder);
        Assert.AreEqual(0, runs.ExitCode, runs.Stderr);
        var rows = runs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.IsGreaterThanOrEqualTo(8, rows, "at least the two parts of four runs stored before the kill");
        Assert.AreEqual(0, rows % 4, "whole parts only");
    }

    /// <summary>
    /// A sweep of an edited config (steps 500) stopped before it stored anything, in a folder of the earlier config's
    /// runs (steps 1000): none of those is its own, so neither its export nor its report so far shows any.
    /// </summary>
    [TestMethod]
    public async Task An_unfinished_sweep_exports_only_its_own_grid_s_runs_as_its_report_counts_them()
    {
        var folder = await Some.SweepAsync(Some.Config());
        var edited = Some.Config(Some.SeedYaml.Replace("steps: 1000", "steps: 500", StringComparison.Ordinal));
        using (var stop = new CancellationTokenSource())
        {
            await stop.CancelAsync();
            await Assert.ThrowsAsync<OperationCanceledException>(() => SweepSession.RunAsync(edited, folder, new RunOptions(2), null, stop.Token));
        }

        var export = CliProcess.Run(folder, "export", folder);
        var report = CliProcess.Run(folder, "report", folder);

        Assert.AreEqual(0, export.ExitCode, export.Stderr);
        Assert.AreEqual("", export.Stdout, "the 400 stored runs are the earlier config's");
        StringAssert.Contains(export.Stderr, "no run of the sweep is in its table yet: nothing to export");
        StringAssert.Contains(report.Stdout, "0 of 400 runs stored");
    }

    /// <summary>The text of a cell reads back to the stored value: the same number, text, or nothing for null.</summary>
    private static void AssertSame(object? expected, string cell, string where)
    {
        switch (expected)
        {
            case null:
                Assert.AreEqual("", cell, $"{where}: null");
                break;
            case double d:
                var parsed = cell switch
                {
                    "inf" or "Infinity" => double.PositiveInfinity,
                    "-inf" or "-Infinity" => double.NegativeInfinity,
                    "nan" or "NaN" => double.NaN,
                    _ => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture),
                };
                Assert.AreEqual(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(parsed), $"{where}: {d:R} written as {cell}");
                break;
            case bool b:
                Assert.AreEqual(b ? "true" : "false", cell, where);
                break;
            case IFormattable f:
                Assert.AreEqual(f.ToString(null, CultureInfo.InvariantCulture), cell, where);
                break;
            default:
                Assert.AreEqual(expected.ToString(), cell, where);
                break;
        }
    }

    /// <summary>The fields of a CSV line (RFC 4180 quoting).</summary>
    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
