using GdSweeps.Analysis;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Analysis;

[TestClass]
public sealed class StabilityAnalysisTests
{
    private static ulong nextId;

    private static (string Dataset, RunPoint Point) Run(string dataset, double lr, string status, int seed = 0, int? convergedAt = null, double finalLoss = 1) =>
        (dataset, new RunPoint(new RunId(Interlocked.Increment(ref nextId)), (long)(lr * 1000) + seed, lr, seed, Parse(status), false, convergedAt, finalLoss, finalLoss, 100));

    /// <summary>How the seed sweep names its groups: every axis but the seeds and learning rates.</summary>
    private static readonly SettingSchema SeedSetting = SettingSchema.For(Some.Config().Config);

    private static RunStatus Parse(string name) => RunStatuses.TryParse(name, out var s) ? s : throw new ArgumentException(name);

    /// <summary>One group per dataset, all with the same setting otherwise (GD, bound 0.25).</summary>
    private static SweepAnalysis Analyze(params (string Dataset, RunPoint Point)[] runs)
    {
        List<GroupRuns> groups = [.. runs.GroupBy(r => r.Dataset).Select((d, i) =>
        {
            var setting = new Setting(SeedSetting, [d.Key, "none", "linear", "mse", "mse", 1.0, "1", 0.0, "gd", "gd", "constant", 100, null, null, "none"]);
            var group = new GroupRuns(new RunId((ulong)i + 1_000_000), setting, new ProblemFigures(2, 1, -1, 8, 8, 1, 0.25), d.Min(r => r.Point.Index));
            foreach (var (_, point) in d)
            {
                group.Add(point, group.Figures.LrCrit, group.Figures);
            }

            return group;
        })];
        return StabilityAnalysis.Analyze(groups, StabilityAnalysis.Counts(groups));
    }

    [TestMethod]
    public void The_stable_range_ends_below_the_first_unstable_rate_and_the_best_rate_converges_fastest()
    {
        var runs = new[]
        {
            Run("a", 0.01, "stalled"), Run("a", 0.1, "converged", convergedAt: 40), Run("a", 0.2, "converged", convergedAt: 12),
            Run("a", 0.24, "oscillating"), Run("a", 0.3, "diverging"), Run("a", 0.5, "stalled"), Run("a", 1, "diverged"),
        };

        var g = Analyze(runs).Summaries.Single();

        Assert.AreEqual(0.24, g.MaxStableLr);
        Assert.AreEqual(0.3, g.MinUnstableLr);
        Assert.AreEqual(0.24 / 0.25, g.EdgeRatio!.Value, 1e-15);
        Assert.AreEqual(0.1, g.MinConvergedLr);
        Assert.AreEqual(0.2, g.MaxConvergedLr);
        Assert.AreEqual(0.2, g.BestLr);
        Assert.AreEqual(12, g.BestConvergedAtStep);
        Assert.AreEqual(1, g.Diverged);
    }

    [TestMethod]
    public void The_converged_range_is_the_run_around_the_fastest_rate_and_never_spans_rates_that_oscillated()
    {
        // As adam on log1p data: converged at 0.2154 and 0.4642, oscillating at 1 and 2.154, converged fastest at 4.642.
        var analysis = Analyze(
            Run("a", 0.2154, "converged", convergedAt: 90), Run("a", 0.4642, "converged", convergedAt: 50), Run("a", 1, "oscillating"),
            Run("a", 2.154, "oscillating"), Run("a", 4.642, "converged", convergedAt: 30), Run("a", 10, "diverged"));

        var g = analysis.Summaries.Single();
        var t = analysis.Transfer.Single();

        Assert.AreEqual(4.642, g.MinConvergedLr);
        Assert.AreEqual(4.642, g.MaxConvergedLr);
        Assert.AreEqual(4.642, g.BestLr);
        Assert.AreEqual((g.MinConvergedLr, g.MaxConvergedLr), (t.ConvergedLow, t.ConvergedHigh), "the same range in every table");
        Assert.AreEqual("stable for lr in [0.2154, 4.642]; converged for lr in [4.642, 4.642]", t.Statement);
    }

    [TestMethod]
    public void A_rate_is_unstable_if_any_seed_ran_away()
    {
        var runs = new[] { Run("a", 0.1, "converged", 0, 5), Run("a", 0.1, "diverged", 1), Run("a", 0.01, "converged", 0, 9), Run("a", 0.01, "converged", 1, 9) };

        var g = Analyze(runs).Summaries.Single();

        Assert.AreEqual(0.01, g.MaxStableLr);
        Assert.AreEqual(0.1, g.MinUnstableLr);
        Assert.AreEqual(2, g.Seeds);
    }

    [TestMethod]
    public void A_group_that_only_started_at_the_optimum_is_uninformative_with_no_stable_range()
    {
        var analysis = Analyze(Run("a", 0.1, "uninformative"), Run("a", 10, "uninformative"));
        var g = analysis.Summaries.Single();

        Assert.IsTrue(g.Uninformative);
        Assert.IsNull(g.MaxStableLr);
        StringAssert.Contains(MarkdownReport.Render("s", analysis), "uninformative: starts at the optimum");
    }

    [TestMethod]
    public void Transfer_is_the_longest_run_of_rates_stable_on_every_dataset()
    {
        var runs = new[]
        {
            Run("a", 0.001, "stalled"), Run("a", 0.01, "converged", convergedAt: 50), Run("a", 0.1, "converged", convergedAt: 5), Run("a", 1, "diverged"),
            Run("b", 0.001, "converged", convergedAt: 90), Run("b", 0.01, "converged", convergedAt: 9), Run("b", 0.1, "diverged"), Run("b", 1, "diverged"),
        };

        var t = Analyze(runs).Transfer.Single();

        Assert.AreEqual(2, t.Datasets);
        Assert.AreEqual(0.001, t.StableLow);
        Assert.AreEqual(0.01, t.StableHigh);
        Assert.AreEqual(0.01, t.ConvergedLow);
        Assert.AreEqual(0.01, t.ConvergedHigh);
        StringAssert.Contains(t.Statement, "stable on all 2 datasets for lr in [0.001, 0.01]");
    }

    /// <summary>
    /// A rate where some dataset's run votes nothing (landed, in transit) is unknown, not unstable: it does not cut the
    /// stable stretch, the stretch holds the converged range, and where nothing is known the answer says so.
    /// </summary>
    [TestMethod]
    public void Transfer_takes_a_rate_without_a_vote_as_unknown_and_holds_the_converged_range()
    {
        var runs = new[]
        {
            Run("a", 0.001, "stalled"), Run("a", 0.002, "stalled"), Run("a", 0.003, "stalled"), Run("a", 0.01, "landed"), Run("a", 0.02, "converged", convergedAt: 9), Run("a", 0.1, "diverged"),
            Run("b", 0.001, "stalled"), Run("b", 0.002, "stalled"), Run("b", 0.003, "stalled"), Run("b", 0.01, "converged", convergedAt: 9), Run("b", 0.02, "converged", convergedAt: 8), Run("b", 0.1, "diverged"),
        };
        var unknown = new[] { Run("a", 0.01, "in-transit"), Run("a", 0.1, "diverged"), Run("b", 0.01, "converged", convergedAt: 3), Run("b", 0.1, "diverged") };

        var t = Analyze(runs).Transfer.Single();
        var u = Analyze(unknown).Transfer.Single();

        Assert.AreEqual((0.001, 0.02), (t.StableLow, t.StableHigh), "the landed rate does not cut the stretch");
        Assert.AreEqual((0.02, 0.02), (t.ConvergedLow, t.ConvergedHigh));
        Assert.IsTrue(t.ConvergedLow >= t.StableLow && t.ConvergedHigh <= t.StableHigh, "converged lies inside stable");
        Assert.IsNull(u.StableLow);
        StringAssert.Contains(u.Statement, "no learning rate tried is known to be stable on all 2 datasets");
    }

    [TestMethod]
    public void Transfer_says_so_when_no_rate_is_stable_on_every_dataset()
    {
        var runs = new[] { Run("a", 0.01, "converged", convergedAt: 3), Run("a", 0.1, "diverged"), Run("b", 0.01, "diverged"), Run("b", 0.1, "converged", convergedAt: 3) };

        var t = Analyze(runs).Transfer.Single();

        Assert.IsNull(t.StableLow);
        Assert.AreEqual("no learning rate tried is stable on all 2 datasets", t.Statement);
    }
}
