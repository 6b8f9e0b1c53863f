using GdSweeps.Analysis;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Analysis;

[TestClass]
public sealed class StabilityAnalysisTests
{
    private static long nextId;

    private static RunRecord Run(string dataset, double lr, string status, int seed = 0, int? convergedAt = null, double finalLoss = 1, string group = "g") => new()
    {
        RunId = Interlocked.Increment(ref nextId).ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        GroupId = group + dataset,
        RunIndex = (long)(lr * 1000) + seed,
        Dataset = dataset,
        Transform = "none",
        Model = "linear",
        Loss = "mse",
        Optimizer = "gd",
        OptimizerLabel = "gd",
        Schedule = "constant",
        W0Label = "1",
        Steps = 100,
        Seed = seed,
        LearningRate = lr,
        Status = status,
        ConvergedAtStep = convergedAt,
        FinalLoss = finalLoss,
        LrCrit = 0.25,
    };

    [TestMethod]
    public void The_stable_range_ends_below_the_first_unstable_rate_and_the_best_rate_converges_fastest()
    {
        var runs = new[]
        {
            Run("a", 0.01, "stalled"), Run("a", 0.1, "converged", convergedAt: 40), Run("a", 0.2, "converged", convergedAt: 12),
            Run("a", 0.24, "oscillating"), Run("a", 0.3, "diverging"), Run("a", 0.5, "stalled"), Run("a", 1, "diverged"),
        };

        var g = StabilityAnalysis.Summarize(runs).Single();

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
    public void A_rate_is_unstable_if_any_seed_ran_away()
    {
        var runs = new[] { Run("a", 0.1, "converged", 0, 5), Run("a", 0.1, "diverged", 1), Run("a", 0.01, "converged", 0, 9), Run("a", 0.01, "converged", 1, 9) };

        var g = StabilityAnalysis.Summarize(runs).Single();

        Assert.AreEqual(0.01, g.MaxStableLr);
        Assert.AreEqual(0.1, g.MinUnstableLr);
        Assert.AreEqual(2, g.Seeds);
    }

    [TestMethod]
    public void A_group_that_only_started_at_the_optimum_is_uninformative_with_no_stable_range()
    {
        var g = StabilityAnalysis.Summarize([Run("a", 0.1, "uninformative"), Run("a", 10, "uninformative")]).Single();

        Assert.IsTrue(g.Uninformative);
        Assert.IsNull(g.MaxStableLr);
        StringAssert.Contains(MarkdownReport.Render("s", [g], [], new Dictionary<string, long>()), "uninformative: starts at the optimum");
    }

    [TestMethod]
    public void Transfer_is_the_longest_run_of_rates_stable_on_every_dataset()
    {
        var runs = new[]
        {
            Run("a", 0.001, "stalled"), Run("a", 0.01, "converged", convergedAt: 50), Run("a", 0.1, "converged", convergedAt: 5), Run("a", 1, "diverged"),
            Run("b", 0.001, "converged", convergedAt: 90), Run("b", 0.01, "converged", convergedAt: 9), Run("b", 0.1, "diverged"), Run("b", 1, "diverged"),
        };

        var t = StabilityAnalysis.Transfer(runs).Single();

        Assert.AreEqual(2, t.Datasets);
        Assert.AreEqual(0.001, t.StableLow);
        Assert.AreEqual(0.01, t.StableHigh);
        Assert.AreEqual(0.01, t.ConvergedLow);
        Assert.AreEqual(0.01, t.ConvergedHigh);
        StringAssert.Contains(t.Statement, "stable on all 2 datasets for lr in [0.001, 0.01]");
    }

    [TestMethod]
    public void Transfer_says_so_when_no_rate_is_stable_on_every_dataset()
    {
        var runs = new[] { Run("a", 0.01, "converged", convergedAt: 3), Run("a", 0.1, "diverged"), Run("b", 0.01, "diverged"), Run("b", 0.1, "converged", convergedAt: 3) };

        var t = StabilityAnalysis.Transfer(runs).Single();

        Assert.IsNull(t.StableLow);
        Assert.AreEqual("no learning rate tried is stable on all 2 datasets", t.Statement);
    }
}
