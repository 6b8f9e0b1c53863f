using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Pipeline;

[TestClass]
public sealed class DescribeTests
{
    private static string Grid(string rates, string extra = "") =>
        Some.SeedYaml.Replace("logspace: {from: 1.0e-6, to: 1, per_decade: 4}", rates, StringComparison.Ordinal) + extra;

    [TestMethod]
    public void An_adam_only_sweep_gets_no_bracketing_warning_because_no_bound_applies()
    {
        var plan = Some.Config(Grid("[1.0e-6, 1.0e-5]", "\noptimizer: adam\n"));

        Assert.IsEmpty(Describe.Warnings(plan).ToList());
    }

    [TestMethod]
    public void A_gd_sweep_whose_rates_miss_the_bound_is_warned_and_told_that_refinement_searches_beyond()
    {
        var plan = Some.Config(Grid("[1.0e-6, 1.0e-5]", "\noptimizer: [adam, gd]\n"));

        var warnings = Describe.Warnings(plan).ToList();

        Assert.HasCount(4, warnings, string.Join("\n", warnings));
        StringAssert.Contains(warnings[0], "do not bracket lr_crit = 0.0002 of dataset 'x1to100' under 'none'");
        StringAssert.Contains(warnings[0], "refine: true searches beyond the grid");
    }

    [TestMethod]
    public void With_refinement_only_a_bound_beyond_its_reach_is_warned()
    {
        var near = Some.Config(Grid("[1.0e-6, 1.0e-5]", "\nrefine: true\n"));
        var far = Some.Config(Grid("[1.0e-12, 1.0e-11]", "\nrefine: true\n"));

        Assert.IsEmpty(Describe.Warnings(near).ToList());
        Assert.HasCount(4, Describe.Warnings(far).ToList());
    }

    [TestMethod]
    public void Heavy_ball_momentum_is_warned_about_with_its_own_bound()
    {
        var plan = Some.Config(Grid("[1.0e-6, 1.0e-5]", "\noptimizer: {momentum: {beta: 0.5}}\n").Replace("transforms: [none, log1p]", "transforms: none", StringComparison.Ordinal));

        var warnings = Describe.Warnings(plan).ToList();

        StringAssert.Contains(warnings[0], "lr_crit = 0.0003 for momentum(beta=0.5) of dataset 'x1to100'");
    }

    [TestMethod]
    public void One_run_is_one_run()
    {
        var plan = Some.Config(Grid("[1.0e-6]").Replace("clip: [none, 1, 10, 100]", "clip: none", StringComparison.Ordinal)
            .Replace("transforms: [none, log1p]", "transforms: none", StringComparison.Ordinal)
            .Replace("  - name: x1to10\n    x: [1, 10]\n    y: [2, 20]\n", "", StringComparison.Ordinal));

        var text = Describe.Text(new SweepGrid(plan), listRuns: 5);

        StringAssert.Contains(text, "sweep seed: 1 run\n");
        StringAssert.Contains(text, "first 1 run:");
    }
}
