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
        var dir = await Some.SweepAsync(Some.Config(Some.SeedYaml + "\nrefine: true\n"));
        var before = Rebuilt.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(dir, f)));
        foreach (var file in Rebuilt)
        {
            File.Delete(Path.Combine(dir, file));
        }

        var result = CliProcess.Run(dir, "report", ".");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        foreach (var file in Rebuilt)
        {
            CollectionAssert.AreEqual(before[file], File.ReadAllBytes(Path.Combine(dir, file)), file);
        }
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
