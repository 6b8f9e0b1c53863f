using DuckDB.NET.Data;
using GdSweeps.Analysis;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Pipeline;

/// <summary>
/// <c>gdsweeps compare A B</c>: settings matched across two finished sweeps, what moved, and the Parquet table of it.
/// </summary>
[TestClass]
public sealed class CompareTests
{
    private static async Task<string> Sweep(string work, string name, string yaml)
    {
        var directory = Path.Combine(work, name);
        await Some.SweepAsync(Some.Config(yaml), directory: directory);
        return directory;
    }

    [TestMethod]
    public async Task A_sweep_compared_with_itself_has_every_group_in_both_and_nothing_moved()
    {
        var work = Some.TempDir();
        var a = await Sweep(work, "a", Some.SeedYaml);
        var b = await Sweep(work, "b", Some.SeedYaml);

        var outcome = await Compare.RunAsync(a, b, null, CancellationToken.None);

        Assert.AreEqual(Path.Combine(b, "compare-a.parquet"), outcome.File);
        Assert.HasCount(16, outcome.Groups);
        Assert.IsTrue(outcome.Groups.All(g => g.In == "both"));
        var chunk = (await (await Tables.OfFileAsync<GroupComparison>(outcome.File, default)).ReadAsync(outcome.File)).Single();
        Assert.AreEqual(16, chunk.Count);
        foreach (var figure in new[] { "max_stable_lr", "best_lr" })
        {
            // 1 wherever the figure exists (a clipped group whose runs never arrive within the budget has no edge).
            var expected = chunk.Get<double?>(figure + "_a").Select(a => a is null ? null : (double?)1.0).ToArray();
            CollectionAssert.AreEqual(expected, chunk.Get<double?>(figure + "_ratio"), figure);
            Assert.IsGreaterThanOrEqualTo(14, expected.Count(e => e is not null), figure);
        }

        StringAssert.Contains(Compare.Text(outcome), "16 groups in both, 0 only in a, 0 only in b");
    }

    [TestMethod]
    public async Task Refining_moves_each_unclipped_edge_up_to_just_below_lr_crit_and_the_table_says_by_how_much()
    {
        var work = Some.TempDir();
        var a = await Sweep(work, "grid", Some.SeedYaml);
        var b = await Sweep(work, "refined", Some.SeedYaml + "\nrefine: true\n");
        var summaryA = await Stored.SummaryAsync(a);

        var outcome = await Compare.RunAsync(a, b, null, CancellationToken.None);

        foreach (var g in outcome.Groups.Where(g => g.Setting["clip"] is null))
        {
            var (before, after) = (g.A!, g.B!);
            Assert.AreEqual(summaryA.Single(s => s.Dataset == g.Setting.Dataset && s.Transform == g.Setting.Cell("transforms") && s.Clip is null).MaxStableLr, before.MaxStableLr);
            Assert.IsGreaterThanOrEqualTo(before.MaxStableLr!.Value, after.MaxStableLr!.Value);
            Assert.AreEqual(1.0, after.EdgeRatio!.Value, 0.01);
            Assert.AreEqual(after.MaxStableLr / before.MaxStableLr, GroupComparison.Ratio(before.MaxStableLr, after.MaxStableLr));
        }

        StringAssert.Contains(Compare.Text(outcome), "| x1to100 / none / clip none | 0.0001778 -> 0.0001999 (x1.12) |");
    }

    [TestMethod]
    public async Task Settings_in_one_sweep_only_are_listed_as_such_with_no_figures_from_the_other()
    {
        var work = Some.TempDir();
        var a = await Sweep(work, "a", Some.SeedYaml);
        var b = await Sweep(work, "b", Some.SeedYaml.Replace("clip: [none, 1, 10, 100]", "clip: [none, 1000]", StringComparison.Ordinal));

        var outcome = await Compare.RunAsync(a, b, Path.Combine(work, "out.parquet"), CancellationToken.None);

        CollectionAssert.AreEquivalent(
            new Dictionary<string, int> { ["both"] = 4, ["a only"] = 12, ["b only"] = 4 },
            outcome.Groups.GroupBy(g => g.In).ToDictionary(g => g.Key, g => g.Count()));
        var text = Compare.Text(outcome);
        StringAssert.Contains(text, "4 groups in both, 12 only in a, 4 only in b");
        StringAssert.Contains(text, "only in b: x1to100 / none / clip 1000");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM '{work}/out.parquet' WHERE \"in\" = 'b only' AND max_stable_lr_a IS NULL AND max_stable_lr_b IS NOT NULL AND max_stable_lr_ratio IS NULL";
        Assert.AreEqual(4L, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public async Task A_folder_without_a_complete_sweep_is_refused_saying_what_to_do()
    {
        var work = Some.TempDir();
        var done = await Sweep(work, "done", Some.SeedYaml);
        var running = await Sweep(work, "running", Some.SeedYaml);
        var manifest = Path.Combine(running, Manifest.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"state\": \"complete\"", "\"state\": \"interrupted\"", StringComparison.Ordinal));

        var interrupted = await Assert.ThrowsExactlyAsync<Compare.CompareException>(() => Compare.RunAsync(done, running, null, CancellationToken.None));
        var empty = await Assert.ThrowsExactlyAsync<Compare.CompareException>(() => Compare.RunAsync(Some.TempDir(), done, null, CancellationToken.None));

        StringAssert.Contains(interrupted.Message, "is interrupted, not complete: run it again to finish it, then compare");
        StringAssert.Contains(empty.Message, "holds no manifest.json");
        Assert.IsFalse(File.Exists(Path.Combine(running, "compare-done.parquet")));
    }

    [TestMethod]
    public async Task A_summary_that_is_not_the_one_the_sweep_wrote_is_refused()
    {
        var work = Some.TempDir();
        var a = await Sweep(work, "a", Some.SeedYaml);
        var b = await Sweep(work, "b", Some.SeedYaml);
        File.AppendAllText(Path.Combine(b, "summary.parquet"), "x");

        var e = await Assert.ThrowsExactlyAsync<Compare.CompareException>(() => Compare.RunAsync(a, b, null, CancellationToken.None));

        StringAssert.Contains(e.Message, "is not the one the sweep wrote: run gdsweeps report");
    }

    [TestMethod]
    public void The_results_schema_doc_lists_the_comparison_columns_as_declared()
    {
        var doc = File.ReadAllText(Path.Combine(Some.RepoRoot, "docs", "results-schema.md"));
        var start = doc.IndexOf("## `compare-<a>.parquet`", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, "docs/results-schema.md has no section for compare-<a>.parquet");
        var end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var documented = doc[start..(end < 0 ? doc.Length : end)].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal));

        var expected = Columns.MarkdownRows([.. SummaryFiles.SettingColumns<GroupComparison>(SettingSchema.For(Some.Config().Config), r => r.Setting), .. ComparisonFile.FigureColumns]).ToList();

        Assert.AreEqual(string.Join("\n", expected), string.Join("\n", documented), $"the compare-<a>.parquet table should read:\n{string.Join("\n", expected)}");
    }
}
