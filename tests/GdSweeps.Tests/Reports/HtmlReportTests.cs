using System.Text.RegularExpressions;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reports;

[TestClass]
public sealed partial class HtmlReportTests
{
    /// <summary>The width the report is held to: a laptop's browser window.</summary>
    private const int PageWidth = 1400;

    [GeneratedRegex("<svg[^>]*aria-label=\"([^\"]+)\"")]
    private static partial Regex SvgLabel();

    [TestMethod]
    public async Task The_html_report_is_self_contained_and_leads_with_the_answer()
    {
        var dir = await Some.SweepAsync(Some.Config(Some.SeedYaml + "\nrefine: true\n"));

        var html = await File.ReadAllTextAsync(Path.Combine(dir, "report.html"));

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain(" src=", html);
        Assert.DoesNotContain(" href=", html);
        Assert.DoesNotContain("@import", html);
        Assert.IsLessThan(html.IndexOf("<h2>Dataset", StringComparison.Ordinal), html.IndexOf("One learning rate for every dataset?", StringComparison.Ordinal));
        CollectionAssert.AreEqual(
            new[] { "stability map: outcome of every run by learning rate", "stable learning-rate intervals with the analytic bound", "loss curves for the learning rates around each stability edge" },
            SvgLabel().Matches(html).Select(m => m.Groups[1].Value).ToArray());
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public async Task Chromium_renders_the_report_with_its_plots_and_no_console_errors()
    {
        Chromium.Require();
        var dir = await Some.SweepAsync(Some.Config(Some.SeedYaml + "\nrefine: true\n"));
        var url = new Uri(Path.Combine(dir, "report.html")).AbsoluteUri;

        var (dom, log) = Chromium.Run(url, "--dump-dom", "--virtual-time-budget=2000");

        // The DOM after rendering: the three figures with their shapes.
        Assert.AreEqual(3, Regex.Count(dom, "<svg "));
        var spans = Regex.Matches(dom, @"<title>[^<]*: lr [^<]*: (converged|oscillating|stalled|bounded|in-transit|landed|diverged|diverging)</title>").Select(m => m.Groups[1].Value).ToList();
        Assert.IsGreaterThanOrEqualTo(16, spans.Count, "the stability map has a span per run of one outcome, at least one per group");
        CollectionAssert.IsSubsetOf(new[] { "converged", "stalled", "bounded", "in-transit", "landed", "diverged" }, spans.Distinct().ToList(), "every outcome of the seed sweep is on the map");
        Assert.IsGreaterThan(10, Regex.Count(dom, "<polyline "), "loss curves are drawn");
        StringAssert.Contains(dom, "One learning rate for every dataset?");
        var consoleErrors = log.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(consoleErrors, string.Join("\n", consoleErrors));

        var png = Path.Combine(dir, "report.png");
        Chromium.Run(url, $"--screenshot={png}", "--window-size=1300,2600");
        Assert.IsGreaterThan(50_000L, new FileInfo(png).Length, "a screenshot with content, not a blank page");
    }

    [TestMethod]
    [DataRow("seed.yaml")]
    [DataRow("optimizers.yaml")]
    [DataRow("robustness.yaml")]
    [TestCategory(TestTiers.Process)]
    public async Task At_1400_px_no_label_legend_or_table_cell_of_the_report_overflows_its_box(string config)
    {
        Chromium.Require();
        var dir = await Some.SweepAsync(SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", config)));
        var html = Path.Combine(dir, "report.html");

        var layout = ReportLayout.Measure(html, PageWidth);

        // Beside the test binaries, where a person looking into a failure finds them.
        var png = Path.Combine(AppContext.BaseDirectory, "report-layout", Path.ChangeExtension(config, ".png"));
        ReportLayout.Screenshot(html, png, PageWidth, layout.Height);
        Assert.IsGreaterThanOrEqualTo(2, layout.Svgs, "the map and the intervals (robustness zips each rate with a budget, so no group has an edge to draw curves around)");
        Assert.IsEmpty(layout.Problems, $"{config} at {PageWidth} px (screenshot: {png}):\n{string.Join("\n", layout.Problems.Take(40))}");
        Assert.IsGreaterThan(50_000L, new FileInfo(png).Length, "a screenshot with content, not a blank page");
    }
}
