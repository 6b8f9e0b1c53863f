using GdSweeps.Analysis;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Analysis;

[TestClass]
public sealed class ReportCommandTests
{
    private static readonly string[] Rebuilt = [SummaryFiles.SummaryFileName, SummaryFiles.TransferFileName, "report.md", "report.html"];

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public async Task Report_rebuilds_the_summaries_and_reports_identically_from_the_stored_parquet_alone()
    {
        AssertReportRebuildsTheSame(await Some.SweepAsync(Some.Config(Some.SeedYaml + "\nrefine: true\n")));
    }

    /// <summary>
    /// Deletes the summaries and reports of the finished folder <paramref name="dir"/>, does <paramref name="then"/>,
    /// runs <c>gdsweeps report</c> on it, and checks it wrote the same bytes.
    /// </summary>
    private static void AssertReportRebuildsTheSame(string dir, Action? then = null)
    {
        var before = Rebuilt.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(dir, f)));
        foreach (var file in Rebuilt)
        {
            File.Delete(Path.Combine(dir, file));
        }

        then?.Invoke();
        var result = CliProcess.Run(dir, "report", ".");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        foreach (var file in Rebuilt)
        {
            CollectionAssert.AreEqual(before[file], File.ReadAllBytes(Path.Combine(dir, file)), file);
        }
    }

    /// <summary>
    /// A finished folder's report reduces each group as it completes, from the grid of the config its manifest keeps
    /// (memory flat in the runs); where that config no longer loads (its data moved), it holds every run, and the
    /// reports are the same either way.
    /// </summary>
    [TestMethod]
    [TestCategory(TestTiers.Process)]
    [DataRow(false, DisplayName = "the config loads: groups reduced as they complete")]
    [DataRow(true, DisplayName = "its data moved: every run held")]
    public async Task Report_of_many_groups_is_the_same_whether_the_config_still_loads_or_not(bool dataMoved)
    {
        var config = Path.Combine(Some.TempDir(), "many.yaml");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(config)!, "wide.csv"), "x,y\n1,2\n5,10.5\n9,17\n");
        File.WriteAllText(config, """
            name: many-groups
            datasets:
              - {name: small, x: [1, 2, 3, 4], y: [2.1, 3.9, 6.2, 7.8]}
              - {name: wide, csv: wide.csv, x: [x], y: y}
            transforms: none
            w0: {linspace: {from: -5, to: 5, count: 40}}
            learning_rates: {logspace: {from: 1.0e-3, to: 1, count: 30}}
            clip: [none, 1]
            seeds: [0, 1]
            steps: 60
            refine: 0.05
            """);
        var dir = await Some.SweepAsync(GdSweeps.Plan.SweepPlan.Load(config), batchSize: 50);
        AssertReportRebuildsTheSame(dir, () =>
        {
            if (dataMoved)
            {
                File.Delete(Path.Combine(Path.GetDirectoryName(config)!, "wide.csv"));
            }
        });
    }

    /// <summary>
    /// Runs computed with <c>--per-sample</c> have ids that hold it; a report of the folder before the merge reads the
    /// grid from the manifest with that kernel, so it finds them (it counted none).
    /// </summary>
    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_report_of_per_sample_shards_not_yet_merged_counts_their_runs()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "seed.yaml"), Some.SeedYaml);
        foreach (var shard in new[] { "1/2", "2/2" })
        {
            var run = CliProcess.Run(work, "run", "seed.yaml", "--out", "out", "--yes", "--quiet", "--per-sample", "--shard", shard);
            Assert.AreEqual(0, run.ExitCode, run.Stderr);
        }

        var report = CliProcess.Run(work, "report", "out");

        Assert.AreEqual(0, report.ExitCode, report.Stderr);
        var runs = new GdSweeps.Grid.SweepGrid(Some.Config()).Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        StringAssert.Contains(report.Stdout, $"{runs} of {runs} runs stored (100%)");
    }

    [TestMethod]
    public async Task The_seed_report_states_each_stable_range_beside_its_analytic_bound()
    {
        var dir = await Some.SweepAsync(Some.Config(Some.SeedYaml + "\nrefine: true\n"));

        var report = await File.ReadAllTextAsync(Path.Combine(dir, "report.md"));
        var summary = await Stored.SummaryAsync(dir);

        StringAssert.Contains(report, "One learning rate for every dataset?");
        foreach (var (dataset, transform, bound) in new[] { ("x1to100", "none", "0.0002"), ("x1to10", "none", "0.0198"), ("x1to100", "log1p", "0.09183"), ("x1to10", "log1p", "0.321") })
        {
            var g = summary.Single(s => s.Dataset == dataset && s.Transform == transform && s.Clip is null);
            StringAssert.Contains(report, $"| {transform} | none | ");
            StringAssert.Contains(report, $" | {bound} | {g.MaxStableLr!.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} | ");
        }

        StringAssert.Contains(report, "-10001");
        StringAssert.Contains(report, "-1.83159");
    }
}
