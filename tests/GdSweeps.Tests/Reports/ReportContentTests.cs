using System.Globalization;
using System.Text.RegularExpressions;
using GdSweeps.Reports;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reports;

/// <summary>
/// What the reports say: ranges as what they are, losses comparable across transforms, the grid's limits admitted.
/// </summary>
[TestClass]
public sealed partial class ReportContentTests
{
    private static async Task<(string Markdown, string Html, List<SummaryRow> Summary)> ReportsAsync(string yaml)
    {
        var dir = await Some.SweepAsync(Some.Config(yaml));
        return (await File.ReadAllTextAsync(Path.Combine(dir, MarkdownReport.FileName)), await File.ReadAllTextAsync(Path.Combine(dir, HtmlReport.FileName)),
            await Stored.SummaryAsync(dir));
    }

    /// <summary>The words of a page, as a reader sees them: tags dropped, entities decoded.</summary>
    private static string Words(string html) => System.Net.WebUtility.HtmlDecode(Tag().Replace(html, ""));

    private static string OneDataset(string yaml) => yaml.Replace("  - name: x1to10\n    x: [1, 10]\n    y: [2, 20]\n", "", StringComparison.Ordinal);

    /// <summary>
    /// Every rate tried diverges (2, 5, 10 on raw x = {1, 100}): there is no edge to set beside the bound, and the
    /// answer says so rather than that every edge agrees with it.
    /// </summary>
    [TestMethod]
    public async Task Where_every_rate_diverges_the_answer_says_no_edge_was_measured_not_that_all_agree()
    {
        var (markdown, _, summary) = await ReportsAsync(Some.SeedYaml.Replace("learning_rates:\n  logspace: {from: 1.0e-6, to: 1, per_decade: 4}", "learning_rates: [2, 5, 10]", StringComparison.Ordinal)
            .Replace("clip: [none, 1, 10, 100]", "clip: none", StringComparison.Ordinal));

        Assert.IsTrue(summary.All(g => g.MaxStableLr is null), "no rate is stable");
        StringAssert.Contains(markdown, "No convergence edge was measured: in no group with a bound was a rate tried stable, so none is set beside it.");
        Assert.DoesNotContain("Every convergence edge measured agrees", markdown);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task The_seed_report_opens_with_the_edge_factor_of_log1p_over_raw_and_that_clipping_does_not_move_the_edge(bool refine)
    {
        var (markdown, html, summary) = await ReportsAsync(Some.SeedYaml + (refine ? "\nrefine: true\n" : ""));

        foreach (var dataset in new[] { "x1to100", "x1to10" })
        {
            // The sentences, against the summary's numbers: the unclipped edges and their ratio.
            var groups = summary.Where(g => g.Dataset == dataset).ToList();
            var raw = groups.Single(g => g.Transform == "none" && g.Clip is null).MaxStableLr!.Value;
            var log1p = groups.Single(g => g.Transform == "log1p" && g.Clip is null).MaxStableLr!.Value;
            var paragraph = markdown.Split('\n').Single(l => l.StartsWith($"**`{dataset}`**:", StringComparison.Ordinal));
            StringAssert.Contains(paragraph, string.Create(CultureInfo.InvariantCulture,
                $"log1p gives the widest stable range: it converges up to lr {log1p:G4}, {log1p / raw:G3}x raw data's {raw:G4}"));
            StringAssert.Contains(paragraph, "Clipping (clip 1, 10 and 100) does not move the convergence edge");
            Assert.IsGreaterThan(10, log1p / raw);

            // And the claim holds: every clipped group's edge is its unclipped twin's, unless the budget cannot tell it.
            foreach (var g in groups.Where(g => g.Clip is not null))
            {
                var plain = groups.Single(p => p.Transform == g.Transform && p.Clip is null);
                Assert.IsTrue(g.MaxStableLr == plain.MaxStableLr || (g.MaxStableLr is null && paragraph.Contains($"the budget cannot tell it for clip {g.Clip} on {g.Transform}", StringComparison.Ordinal)),
                    $"{dataset} {g.Transform} clip {g.Clip}: {g.MaxStableLr} against {plain.MaxStableLr}");
            }

            // The answer comes first, in both reports.
            Assert.IsLessThan(markdown.IndexOf("## Dataset", StringComparison.Ordinal), markdown.IndexOf(paragraph, StringComparison.Ordinal));
            StringAssert.Contains(Words(html), paragraph.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal));
        }
    }

    [TestMethod]
    public async Task A_single_dataset_sweep_asks_no_cross_dataset_question_and_counts_in_the_singular()
    {
        var (markdown, html, _) = await ReportsAsync(OneDataset(Some.SeedYaml)
            .Replace("logspace: {from: 1.0e-6, to: 1, per_decade: 4}", "[1.0e-4]", StringComparison.Ordinal)
            .Replace("transforms: [none, log1p]", "transforms: none", StringComparison.Ordinal)
            .Replace("clip: [none, 1, 10, 100]", "clip: none", StringComparison.Ordinal));

        foreach (var report in new[] { markdown, Words(html) })
        {
            Assert.DoesNotContain("One learning rate for every dataset?", report);
            Assert.DoesNotContain("all 1 datasets", report);
            StringAssert.Contains(report, "1 run: 1 converged");
            StringAssert.Contains(report, "1 feature)");
        }
    }

    [TestMethod]
    public async Task A_grid_edge_not_refined_is_shown_as_the_bracket_of_the_grid_with_a_note_and_a_refined_one_as_a_figure()
    {
        var (coarse, _, _) = await ReportsAsync(Some.SeedYaml);
        var (refined, _, _) = await ReportsAsync(Some.SeedYaml + "\nrefine: true\n");

        // x1to100 raw: stable up to 0.0001778, first unstable 0.0003162, lr_crit 0.0002.
        StringAssert.Contains(coarse, "| none | none | -10001 | 10001 | 1 | 0.0002 | 0.0001778 | 0.0003162 | [0.8892, 1.581] † |");
        StringAssert.Contains(coarse, "† Not refined: the edge lies between the largest converging rate and the first not converging one");
        Assert.DoesNotContain("Not refined", refined);
        Assert.MatchesRegex(RefinedRatio(), refined);
    }

    [TestMethod]
    public async Task An_edge_found_beyond_the_grid_is_said_to_lie_there()
    {
        var (markdown, html, summary) = await ReportsAsync(Some.SeedYaml
            .Replace("to: 1, per_decade: 4", "to: 1.0e-3, per_decade: 4", StringComparison.Ordinal)
            .Replace("clip: [none, 1, 10, 100]", "clip: none\nrefine: true", StringComparison.Ordinal));

        Assert.IsTrue(summary.Any(g => g.MaxStableLr > 1e-3), "an edge above the grid");
        foreach (var report in new[] { markdown, Words(html) })
        {
            StringAssert.Contains(report, "(above the grid)");
            StringAssert.Contains(report, "the edge lay beyond the config's learning rates");
        }
    }

    [TestMethod]
    public async Task The_final_loss_is_given_in_the_units_of_y_beside_the_transformed_one_and_transforms_are_compared_in_them()
    {
        var (markdown, _, _) = await ReportsAsync(Some.SeedYaml.Replace("clip: [none, 1, 10, 100]", "clip: none", StringComparison.Ordinal));

        StringAssert.Contains(markdown, "| final loss (transformed) | final loss (units of y) |");
        StringAssert.Contains(markdown, "### Preprocessing compared in the original units of y");
        StringAssert.Contains(markdown, "| none | log1p | lowest |");

        // log1p's best run on x1to10 has a small loss in log units and a larger one in the units of y.
        StringAssert.Contains(markdown, "| log1p | -1.83159 | 6.23 | 1 | 0.321 | 0.3162 | 0.5623 | [0.9851, 1.752] † | [0.003162, 0.3162] | 0.1778 | 7 | 0.02204 | 0.9449 |");
    }

    [TestMethod]
    public async Task Every_group_with_an_edge_gets_a_curve_panel_clipped_adaptive_and_momentum_included()
    {
        var (_, html, summary) = await ReportsAsync(OneDataset(Some.SeedYaml)
            .Replace("clip: [none, 1, 10, 100]", "clip: [none, 10]\noptimizer: [gd, {momentum: {beta: 0.9}}, adam]", StringComparison.Ordinal)
            .Replace("to: 1, per_decade: 4", "to: 1000, per_decade: 4", StringComparison.Ordinal));

        var withEdge = summary.Where(g => g.MaxStableLr is not null && g.MinUnstableLr is not null).ToList();
        Assert.IsTrue(withEdge.Any(g => g.Clip is not null), "a clipped group has an edge");
        Assert.IsTrue(withEdge.Any(g => g.Optimizer == "adam"), "an adam group has an edge");
        Assert.IsTrue(withEdge.Any(g => g.Optimizer == "momentum"), "a momentum group has an edge");
        Assert.AreEqual(withEdge.Count, Regex.Count(html, "class=\"panel-title\""));
    }

    [TestMethod]
    public async Task A_huge_sweep_draws_at_most_the_cap_of_curve_panels_and_says_how_many_it_left_out()
    {
        var (_, html, summary) = await ReportsAsync(OneDataset(Some.SeedYaml)
            .Replace("w0: 1", "w0: {linspace: {from: 0.5, to: 1.5, count: 30}}", StringComparison.Ordinal)
            .Replace("transforms: [none, log1p]", "transforms: none", StringComparison.Ordinal)
            .Replace("clip: [none, 1, 10, 100]", "clip: none", StringComparison.Ordinal)
            .Replace("steps: 1000", "steps: 100", StringComparison.Ordinal));

        Assert.AreEqual(30, summary.Count(g => g.MaxStableLr is not null && g.MinUnstableLr is not null));
        Assert.AreEqual(Reporting.MaxPanels, Regex.Count(html, "class=\"panel-title\""));
        StringAssert.Contains(Words(html), $"The first {Reporting.MaxPanels} of 30 groups with an edge.");
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\| none \| none \| -10001 \| 10001 \| 1 \| 0\.0002 \| 0\.000199\d* \| 0\.000\d+ \| 0\.99\d* \|")]
    private static partial Regex RefinedRatio();
}
