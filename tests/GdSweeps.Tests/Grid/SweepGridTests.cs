using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Grid;

[TestClass]
public sealed class SweepGridTests
{
    private const string Base = """
        datasets:
          - {name: a, x: [1, 2], y: [2, 4]}
          - {name: b, x: [1, 3], y: [2, 6]}
        transforms: [none, log1p]
        learning_rates: [0.001, 0.01, 0.1]
        """;

    private static SweepPlan Config(string extra) => Some.Config(Base + "\n" + extra, "grid.yaml");

    [TestMethod]
    public void The_run_count_is_the_product_of_the_axes()
    {
        var config = Config("clip: [none, 1]\nseeds: 3\noptimizer: [gd, {momentum: {beta: [0.5, 0.9]}}]");

        Assert.AreEqual(2 * 2 * 3 * 2 * 3 * 3L, new SweepGrid(config).Count);
        Assert.AreEqual(new SweepGrid(config).Count, Some.Runs(config).Count);
        CollectionAssert.AreEqual(new[] { "gd", "momentum(beta=0.5)", "momentum(beta=0.9)" }, config.Optimizers.Select(o => o.Label).ToArray());
    }

    [TestMethod]
    public void Zipped_axes_move_together()
    {
        var config = Config("steps: [10, 100, 1000]\nzip: [[learning_rates, steps]]");

        var runs = Some.Runs(config).ToList();

        Assert.HasCount(2 * 2 * 3, runs);
        CollectionAssert.AreEqual(new[] { (0.001, 10), (0.01, 100), (0.1, 1000) }, runs.Take(3).Select(r => (r.LearningRate, r.Get(SweepAxes.Steps))).ToArray());
    }

    [TestMethod]
    public void Excluded_combinations_are_left_out()
    {
        var config = Config("clip: [none, 1, 10]\noptimizer: [gd, normalized]\nexclude: [{optimizer: normalized, clip: [1, 10]}]");

        var runs = Some.Runs(config).ToList();

        Assert.HasCount(2 * 2 * 3 * (3 + 1), runs);
        Assert.IsFalse(runs.Any(r => r.Get(SweepAxes.Optimizer).Name == "normalized" && r.Get(SweepAxes.Clip) is not null));
        Assert.AreEqual(runs.Count, new SweepGrid(config).Count);
    }

    [TestMethod]
    public void Run_ids_are_unique_stable_and_change_with_the_dataset_name_since_it_is_stored()
    {
        var config = Config("seeds: [1, 2]");
        var renamed = Some.Config((Base + "\nseeds: [1, 2]").Replace("name: a,", "name: first,", StringComparison.Ordinal), "grid.yaml");

        var ids = Some.Runs(config).Select(r => r.Id).ToList();
        var renamedIds = Some.Runs(renamed).Select(r => r.Id).ToList();

        Assert.AreEqual(ids.Count, ids.Distinct().Count());
        CollectionAssert.AreEqual(ids, Some.Runs(config).Select(r => r.Id).ToList());
        Assert.IsFalse(ids.Take(ids.Count / 2).Intersect(renamedIds).Any(), "dataset a's runs are relabelled, so they run again");
        CollectionAssert.AreEqual(ids.Skip(ids.Count / 2).ToList(), renamedIds.Skip(ids.Count / 2).ToList(), "dataset b's runs are untouched");
    }

    [TestMethod]
    public void A_group_is_every_learning_rate_and_seed_of_one_setting()
    {
        var config = Config("seeds: 2");

        var groups = Some.Runs(config).GroupBy(r => r.GroupId).ToList();

        Assert.HasCount(2 * 2, groups);
        Assert.IsTrue(groups.All(g => g.Count() == 3 * 2));
    }

    [TestMethod]
    public void Per_feature_and_random_starts_and_biases_build_the_initial_parameters()
    {
        var config = Some.Config("""
            datasets: [{name: m, x: [[1, 2], [3, 4], [5, 7]], y: [1, 2, 3]}]
            transforms: none
            model: affine
            w0: [[0.5, -1], {normal: {std: 2}}]
            b0: 3
            seeds: 2
            learning_rates: 0.01
            """, "init.yaml");
        var runs = Some.Runs(config).ToList();
        var theta = new double[3];

        runs[0].Get(SweepAxes.W0).Fill(theta, 2, runs[0].Get(SweepAxes.Seeds), runs[0].Get(SweepAxes.B0));
        CollectionAssert.AreEqual(new[] { 0.5, -1, 3 }, theta);
        runs[2].Get(SweepAxes.W0).Fill(theta, 2, runs[2].Get(SweepAxes.Seeds), runs[2].Get(SweepAxes.B0));
        var seed0 = theta.ToArray();
        runs[3].Get(SweepAxes.W0).Fill(theta, 2, runs[3].Get(SweepAxes.Seeds), runs[3].Get(SweepAxes.B0));
        CollectionAssert.AreNotEqual(seed0, theta);
        Assert.AreEqual(3.0, theta[2]);
    }
}
