using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary><c>gdsweeps compare</c> and <c>gdsweeps schema</c> as a user runs them.</summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class CompareCommandTests
{
    [TestMethod]
    public void Compare_prints_what_moved_per_group_and_writes_the_table_into_the_second_folder()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        Assert.AreEqual(0, CliProcess.Run(work, "run", "study.yaml", "--out", "before", "--quiet").ExitCode);
        Assert.AreEqual(0, CliProcess.Run(work, "run", "study.yaml", "--set", "refine=true", "--out", "after", "--quiet").ExitCode);

        var result = CliProcess.Run(work, "compare", "before", "after");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "a: before (sweep seed); b: after (sweep seed)\n16 groups in both, 0 only in a, 0 only in b\n");
        StringAssert.Contains(result.Stdout, "| x1to10 / log1p / clip none | 0.3162 -> 0.3191 (x1.01) |");
        StringAssert.Contains(result.Stdout, "wrote after/compare-before.parquet");
        Assert.IsTrue(File.Exists(Path.Combine(work, "after", "compare-before.parquet")));
    }

    /// <summary>Two seed sweeps that differ only in w0 (1 and 0), and one with both values.</summary>
    private static readonly Lazy<string> W0 = new(() =>
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        foreach (var (folder, w0) in new[] { ("w1", "1"), ("w0", "0"), ("both", "[0, 1]") })
        {
            var run = CliProcess.Run(work, "run", "study.yaml", "--set", $"w0={w0}", "--out", folder, "--quiet");
            Assert.AreEqual(0, run.ExitCode, run.Stderr);
        }

        return work;
    });

    [TestMethod]
    public async Task Compare_ignoring_w0_pairs_every_group_of_two_sweeps_that_differ_only_in_w0_and_says_its_values()
    {
        var work = W0.Value;
        var plain = CliProcess.Run(work, "compare", "w1", "w0");
        StringAssert.Contains(plain.Stdout, "0 groups in both, 16 only in a, 16 only in b", "without --ignore, w0 is part of every setting");
        StringAssert.Contains(plain.Stdout, "no group is in both: every group of a differs from every group of b in w0; to pair them on the other keys: --ignore w0");

        var result = CliProcess.Run(work, "compare", "w1", "w0", "--ignore", "w0");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "16 groups in both, 0 only in a, 0 only in b, paired on every key but w0\n");
        StringAssert.Contains(result.Stdout, "| group | w0, a -> b | stable up to, a -> b |");
        StringAssert.Contains(result.Stdout, "| x1to10 / log1p / clip none | 1 -> 0 | 0.3162 (same) |");
        StringAssert.Contains(result.Stdout, "wrote w0/compare-w1.parquet and w0/compare-w1.html");

        // The table: the setting without w0, w0's value in each sweep, the figures of both.
        var path = Path.Combine(work, "w0", "compare-w1.parquet");
        var table = await GdSweeps.Results.Tables.OfFileAsync<object>(path, default);
        var chunk = (await table.ReadAsync(path)).Single();
        Assert.AreEqual(16, chunk.Count);
        Assert.IsNull(table.Find("w0"), "w0 is not a key of the pairs");
        CollectionAssert.AreEqual(Enumerable.Repeat("1", 16).ToArray(), chunk.Get<string?>("w0_a"));
        CollectionAssert.AreEqual(Enumerable.Repeat("0", 16).ToArray(), chunk.Get<string?>("w0_b"));
        CollectionAssert.AreEqual(Enumerable.Repeat("both", 16).ToArray(), chunk.Get<string?>("in"));

        // --match on every other key that varies pairs the same way.
        var matched = CliProcess.Run(work, "compare", "w1", "w0", "--match", "datasets,transform,clip", "--out", Path.Combine(work, "matched.parquet"));
        Assert.AreEqual(0, matched.ExitCode, matched.Stderr);
        StringAssert.Contains(matched.Stdout, "16 groups in both, 0 only in a, 0 only in b");
    }

    [TestMethod]
    public void Compare_refuses_an_ambiguous_pairing_or_an_unknown_key_as_bad_input_saying_which()
    {
        var work = W0.Value;

        var ambiguous = CliProcess.Run(work, "compare", "both", "w0", "--ignore", "w0");
        var unknown = CliProcess.Run(work, "compare", "w1", "w0", "--ignore", "momentum");
        var rate = CliProcess.Run(work, "compare", "w1", "w0", "--ignore", "learning_rate");
        var twice = CliProcess.Run(work, "compare", "w1", "w0", "--ignore", "w0", "--match", "clip");
        var csv = CliProcess.Run(work, "compare", "w1", "w0", "--ignore", "w0", "--out", "table.csv");

        Assert.AreEqual(2, ambiguous.ExitCode, ambiguous.Stderr);
        StringAssert.Contains(ambiguous.Stderr, "pairing is ambiguous: ignoring w0, 2 groups of a agree on every other key (datasets x1to100, transforms none");
        StringAssert.Contains(ambiguous.Stderr, "differ only in what is ignored (w0 0; w0 1)");
        Assert.AreEqual(2, unknown.ExitCode);
        StringAssert.Contains(unknown.Stderr, "no key 'momentum' in either sweep. The keys: datasets, transforms, model, loss, w0, b0, optimizer, schedule, steps, clip");
        Assert.AreEqual(2, rate.ExitCode);
        StringAssert.Contains(rate.Stderr, "'learning_rate' is never part of a setting");
        Assert.AreEqual(2, twice.ExitCode);
        StringAssert.Contains(twice.Stderr, "give --ignore or --match, not both");
        Assert.AreEqual(2, csv.ExitCode);
        StringAssert.Contains(csv.Stderr, "--out names the comparison's Parquet table (FILE.parquet");
        Assert.IsFalse(File.Exists(Path.Combine(work, "table.csv")));
        Assert.IsFalse(File.Exists(Path.Combine(work, "w0", "compare-both.parquet")), "nothing written for a refused comparison");
    }

    [TestMethod]
    public async Task The_comparison_page_lays_out_in_chromium_with_its_figure_a_beside_b()
    {
        Chromium.Require();
        var work = W0.Value;
        var result = CliProcess.Run(work, "compare", "w1", "w0", "--ignore", "w0", "--out", Path.Combine(work, "page", "w.parquet"));
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var html = Path.Combine(work, "page", "w.html");

        var layout = ReportLayout.Measure(html, 1400);

        var png = Path.Combine(AppContext.BaseDirectory, "report-layout", "compare.png");
        ReportLayout.Screenshot(html, png, 1400, layout.Height);
        Assert.AreEqual(1, layout.Svgs, "the figure");
        Assert.IsEmpty(layout.Problems, $"the comparison page at 1400 px (screenshot: {png}):\n{string.Join("\n", layout.Problems.Take(40))}");
        // A bar for each setting and sweep with a converged range, a tick for each with a stable rate, as the table says.
        var page = File.ReadAllText(html);
        var path = Path.Combine(work, "page", "w.parquet");
        var chunk = (await (await GdSweeps.Results.Tables.OfFileAsync<object>(path, default)).ReadAsync(path)).Single();
        int Stated(string column) => chunk.Get<double?>(column + "_a").Count(v => v is not null) + chunk.Get<double?>(column + "_b").Count(v => v is not null);
        Assert.AreEqual(Stated("min_converged_lr"), page.Split(": converged from ").Length - 1, "converged bars");
        Assert.AreEqual(Stated("max_stable_lr"), page.Split(": stable up to ").Length - 1, "ticks at the largest stable rate");
        Assert.IsGreaterThan(20, Stated("min_converged_lr"));
    }

    [TestMethod]
    public void Compare_or_report_of_a_folder_that_holds_no_sweep_or_none_at_all_is_bad_input_exit_2_saying_so()
    {
        var work = Some.TempDir();
        Directory.CreateDirectory(Path.Combine(work, "empty"));

        var result = CliProcess.Run(work, "compare", "empty", "empty");
        var missing = CliProcess.Run(work, "report", "missing");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "gdsweeps: compare: empty holds no manifest.json");
        Assert.AreEqual(2, missing.ExitCode);
        StringAssert.Contains(missing.Stderr, "gdsweeps: missing holds no manifest.json");
    }

    [TestMethod]
    public void Report_of_a_finished_sweep_to_out_writes_that_file_and_nothing_into_the_folder()
    {
        var work = W0.Value;
        var folder = Path.Combine(work, "w1");
        var before = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), File.ReadAllBytes(f).Length));
        var page = Path.Combine(work, "out", "w1.html");

        var result = CliProcess.Run(work, "report", "w1", "--out", page);

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stderr, "wrote the report to");
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(folder, "report.html")), File.ReadAllBytes(page), "the finished report, as the sweep wrote it");
        var after = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), File.ReadAllBytes(f).Length));
        CollectionAssert.AreEquivalent(before.ToList(), after.ToList(), "nothing in the folder written");
    }

    [TestMethod]
    public void Compare_needs_two_folders()
    {
        var result = CliProcess.Run(Some.TempDir(), "compare", "a");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "compare needs two results folders: gdsweeps compare DIR_A DIR_B");
    }

    [TestMethod]
    public void Schema_prints_the_schema_the_repository_ships()
    {
        var result = CliProcess.Run(Some.TempDir(), "schema");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.AreEqual(File.ReadAllText(Path.Combine(Some.RepoRoot, ConfigSchema.ShippedPath)), result.Stdout);
    }
}
