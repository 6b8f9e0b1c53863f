using GdSweeps.Analysis;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Examples;

/// <summary>
/// The command-trainer examples run as shipped: a numpy network (examples/mlp) and the same in PyTorch
/// (examples/torch),
/// each through Debian's /usr/bin/python3 (scripts/test-deps.sh installs python3-numpy and python3-torch).
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class ExampleTests
{
    /// <summary>The numpy example's sweep, run once for the tests that read it.</summary>
    private static readonly Lazy<Task<string>> Mlp = new(() => RunAsync("mlp", "mlp.yaml"));

    private static async Task<string> RunAsync(string example, string config)
    {
        var directory = Some.TempDir();
        var plan = SweepPlan.Load(Path.Combine(Some.RepoRoot, "examples", example, config));
        await SweepSession.RunAsync(plan, directory, new RunOptions(Environment.ProcessorCount), null, CancellationToken.None);
        return directory;
    }

    private static async Task<List<Dictionary<string, object?>>> SummaryAsync(string directory)
    {
        var rows = new List<Dictionary<string, object?>>();
        var path = Path.Combine(directory, SummaryFiles.SummaryFileName);
        var schema = await GdSweeps.Results.RunSchema.ReadAsync(Stored.Parts(directory)[0], CancellationToken.None);
        var table = SummaryFiles.SummaryFor(schema);
        foreach (var chunk in await table.ReadAsync(path))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                rows.Add(table.Columns.ToDictionary(c => c.Name, c => chunk.Stored(c).GetValue(i)));
            }
        }

        return rows;
    }

    [TestMethod]
    public async Task The_numpy_network_s_report_shows_the_stable_range_of_each_preprocessing_and_the_sharpness_figure()
    {
        var directory = await Mlp.Value;

        var summary = await SummaryAsync(directory);
        var html = File.ReadAllText(Path.Combine(directory, "report.html"));
        var markdown = File.ReadAllText(Path.Combine(directory, "report.md"));

        Assert.HasCount(12, summary); // 3 transforms x 2 clips x 2 widths
        Assert.AreEqual(0, summary.Sum(g => (int)g["failed"]!), "every run of the example ran");
        foreach (var transform in new[] { "none", "log1p", "standardize" })
        {
            var unclipped = summary.Where(g => (string)g["transform"]! == transform && g["clip"] is null).ToList();
            Assert.HasCount(2, unclipped);
            Assert.IsTrue(unclipped.All(g => g["max_stable_lr"] is double && g["min_unstable_lr"] is double && g["sharpness_0"] is double), transform);
        }

        // Preprocessing moves the edge: raw x up to 200 needs rates far below a standardized x's.
        double Edge(string transform) => summary.Where(g => (string)g["transform"]! == transform && g["clip"] is null).Min(g => (double)g["max_stable_lr"]!);
        Assert.IsLessThan(Edge("standardize") / 3, Edge("none"));
        StringAssert.Contains(markdown, "| transform | clip | hidden | sharpness_0 | lr_crit = 2/sharpness_0 | converges up to | first not converging |");
        StringAssert.Contains(html, "aria-label=\"sharpness against step beside 2/lr for the learning rates around each stability edge\"");
        StringAssert.Contains(html, "<h3>Preprocessing compared in the original units of y</h3>");
    }

    [TestMethod]
    public async Task For_full_batch_gd_two_over_sharpness_0_lies_in_the_measured_bracket_or_the_report_says_why_and_the_runs_bear_it_out()
    {
        var directory = await Mlp.Value;
        var summary = await SummaryAsync(directory);
        var runs = await Stored.RowsByNameAsync(directory);

        foreach (var group in summary.Where(g => g["clip"] is null))
        {
            var crit = (double)group["lr_crit"]!;
            var (stable, unstable) = ((double)group["max_stable_lr"]!, (double)group["min_unstable_lr"]!);
            var statement = (string)group["edge_vs_sharpness"]!;
            var mine = runs.Where(r => (string)r["group_id"]! == (string)group["group_id"]!).ToList();
            Assert.AreEqual(2 / mine.Max(r => (double)r["sharpness_0"]!), crit, 1e-12 * crit);
            if (stable <= crit && crit <= unstable)
            {
                StringAssert.Contains(statement, "lies in the measured bracket");
            }
            else if (crit < stable)
            {
                // Stable above 2/sharpness_0: those runs' sharpness must have come down to 2/lr, as the report says.
                StringAssert.Contains(statement, "self-stabilization");
                Assert.IsTrue(mine.Any(r => (double)r["learning_rate"]! > crit && (string)r["status"]! is not ("diverged" or "diverging")
                    && (double)r["sharpness_min"]! * (double)r["learning_rate"]! / 2 <= 1), statement);
            }
            else
            {
                // Unstable below it: the sharpness must have risen past 2/lr.
                StringAssert.Contains(statement, "progressive sharpening");
                Assert.IsTrue(mine.Any(r => (double)r["learning_rate"]! < crit && (string)r["status"]! is "diverged" or "diverging"
                    && (double)r["sharpness_ratio_max"]! >= 1), statement);
            }
        }
    }

    [TestMethod]
    public async Task At_1400_px_nothing_of_the_numpy_network_s_report_overflows_its_box_the_sharpness_figure_included()
    {
        Chromium.Require();
        var html = Path.Combine(await Mlp.Value, "report.html");

        var layout = ReportLayout.Measure(html, 1400);

        var png = Path.Combine(AppContext.BaseDirectory, "report-layout", "mlp.png");
        ReportLayout.Screenshot(html, png, 1400, layout.Height);
        Assert.AreEqual(4, layout.Svgs, "the map, the intervals, the loss curves and the sharpness curves");
        Assert.IsEmpty(layout.Problems, $"examples/mlp at 1400 px (screenshot: {png}):\n{string.Join("\n", layout.Problems.Take(40))}");
    }

    [TestMethod]
    public void The_readme_shows_the_numpy_example_s_config_as_it_runs()
    {
        var readme = File.ReadAllText(Path.Combine(Some.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("### Your own model: a command trainer", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + 8;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var folder = Path.Combine(Some.RepoRoot, "examples", "mlp");

        var shown = Some.Runs(SweepPlan.Parse(yaml, Path.Combine(folder, "readme.yaml"))).Select(r => r.Id);
        var shipped = Some.Runs(SweepPlan.Load(Path.Combine(folder, "mlp.yaml"))).Select(r => r.Id);

        CollectionAssert.AreEqual(shipped.ToList(), shown.ToList());
    }

    [TestMethod]
    public async Task The_pytorch_network_runs_as_shipped_with_autograd_s_sharpness()
    {
        var directory = await RunAsync("torch", "torch.yaml");

        var runs = await Stored.RowsByNameAsync(directory);

        Assert.HasCount(10, runs);
        Assert.IsFalse(runs.Any(r => (string)r["status"]! == "failed"), string.Join("\n", runs.Select(r => r["error"])));
        Assert.IsTrue(runs.All(r => r["sharpness_0"] is double s && s > 0));
        Assert.IsTrue(runs.Any(r => (string)r["status"]! == "diverged") && runs.Any(r => (string)r["status"]! is "stalled" or "oscillating" or "converged"));
        StringAssert.Contains(File.ReadAllText(Path.Combine(directory, "report.html")), "sharpness against step beside 2/lr");
    }
}
