using GdSweeps.Analysis;
using GdSweeps.Configs;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Analysis;

[TestClass]
public sealed class RefinementTests
{
    [TestMethod]
    public async Task The_refined_edge_of_unclipped_gd_matches_2_over_lambda_max_within_the_tolerance()
    {
        var config = Some.Config(Some.SeedYaml + "\nrefine: {tolerance: 0.01}\n");

        var dir = await Some.SweepAsync(config);
        var summary = await Stored.SummaryAsync(dir);

        var unclipped = summary.Where(g => g.Clip is null).ToList();
        Assert.HasCount(4, unclipped);
        foreach (var g in unclipped)
        {
            Assert.IsGreaterThan(0, g.RefinementRuns, g.Transform);
            Assert.IsLessThanOrEqualTo(g.LrCrit!.Value, g.MaxStableLr!.Value, $"{g.Dataset}/{g.Transform}");
            Assert.IsGreaterThan(g.LrCrit.Value, g.MinUnstableLr!.Value, $"{g.Dataset}/{g.Transform}");
            Assert.IsLessThanOrEqualTo(1.01, g.MinUnstableLr.Value / g.MaxStableLr.Value);
            Assert.AreEqual(1.0, g.EdgeRatio!.Value, 0.01, $"{g.Dataset}/{g.Transform}");
        }
    }

    [TestMethod]
    public async Task A_refined_edge_of_gd_on_mse_is_never_above_the_bound_when_starts_hide_the_top_direction()
    {
        // A few hundred rows, one feature, affine, log1p on x and y: the slow direction trades weight against bias,
        // and these starts lie mostly along it. Classified by the total distance, these edges came out up to 0.3% above.
        var config = Some.Config("""
            name: hidden
            datasets:
              - name: prices
                generate:
                  x: {uniform: {from: 10, to: 2000, count: 300}}
                  a: 150
                  b: 20000
                  noise: 3000
                  seed: 3
            transforms: [log1p]
            model: affine
            w0: [0, 0.3, 0.6, 1, 2]
            b0: [0, 5, 10]
            learning_rates:
              logspace: {from: 1.0e-3, to: 1, per_decade: 4}
            steps: 1000
            refine: {tolerance: 0.0005}
            """);

        var summary = await Stored.SummaryAsync(await Some.SweepAsync(config));

        Assert.HasCount(15, summary);
        foreach (var g in summary)
        {
            Assert.IsGreaterThan(0, g.RefinementRuns);
            Assert.IsLessThanOrEqualTo(1.0, g.EdgeRatio!.Value);
            Assert.IsGreaterThan(0.998, g.EdgeRatio.Value);
        }
    }

    [TestMethod]
    public async Task A_grid_that_stops_below_the_bound_or_starts_above_it_is_extended_until_the_edge_is_found()
    {
        // x1to10 raw: 2/lambda_max = 0.0198, above every rate of the first grid; x1to100 raw: 2e-4, below every rate of the second.
        var below = Some.Config(Some.SeedYaml.Replace("to: 1, per_decade: 4", "to: 1.0e-3, per_decade: 4", StringComparison.Ordinal)
            .Replace("transforms: [none, log1p]", "transforms: none", StringComparison.Ordinal)
            .Replace("clip: [none, 1, 10, 100]", "clip: none\nrefine: true", StringComparison.Ordinal));
        var above = Some.Config(Some.SeedYaml.Replace("from: 1.0e-6", "from: 0.1", StringComparison.Ordinal)
            .Replace("transforms: [none, log1p]", "transforms: none", StringComparison.Ordinal)
            .Replace("clip: [none, 1, 10, 100]", "clip: none\nrefine: true", StringComparison.Ordinal));

        foreach (var config in new[] { below, above })
        {
            var dir = await Some.SweepAsync(config);
            var summary = await Stored.SummaryAsync(dir);
            var runs = await Stored.RunsAsync(dir);

            Assert.HasCount(2, summary);
            foreach (var g in summary)
            {
                Assert.IsNotNull(g.MinUnstableLr, g.Dataset);
                Assert.IsNotNull(g.MaxStableLr, g.Dataset);
                Assert.AreEqual(1.0, g.EdgeRatio!.Value, 0.01, g.Dataset);
                Assert.IsLessThanOrEqualTo(1.0, g.EdgeRatio.Value, g.Dataset);
            }

            var grid = runs.Where(r => !r.Refinement).Select(r => r.LearningRate).ToList();
            Assert.IsTrue(runs.Where(r => r.Refinement).Any(r => r.LearningRate > grid.Max() || r.LearningRate < grid.Min()), "refinement runs beyond the grid");
        }
    }

    [TestMethod]
    public async Task Refinement_runs_are_stored_like_any_other_marked_and_after_the_grid()
    {
        var config = Some.Config(Some.SeedYaml + "\nrefine: true\n");

        var dir = await Some.SweepAsync(config);
        var runs = await Stored.RunsAsync(dir);

        var refinement = runs.Where(r => r.Refinement).ToList();
        Assert.IsNotEmpty(refinement);
        Assert.IsTrue(runs.Take(400).All(r => !r.Refinement));
        CollectionAssert.AreEqual(Enumerable.Range(0, runs.Count).Select(i => (long)i).ToArray(), runs.Select(r => r.RunIndex).ToArray());
        Assert.AreEqual(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
    }

    [TestMethod]
    public async Task A_rerun_replays_the_bisection_and_computes_nothing()
    {
        var config = Some.Config(Some.SeedYaml + "\nrefine: true\n");
        var dir = await Some.SweepAsync(config);
        var before = Stored.TableBytes(dir);
        var parts = Stored.Parts(dir).Length;

        var again = await SweepSession.RunAsync(config, dir, new RunOptions(2), null, CancellationToken.None);

        Assert.AreEqual(0L, again.Totals.Computed);
        Assert.HasCount(parts, Stored.Parts(dir));
        CollectionAssert.AreEqual(before, Stored.TableBytes(dir));
    }

    [TestMethod]
    public async Task Heavy_ball_momentum_refines_to_its_own_bound()
    {
        var config = Some.Config(Some.SeedYaml
            .Replace("clip: [none, 1, 10, 100]", "clip: none\noptimizer: {momentum: {beta: 0.5}}", StringComparison.Ordinal)
            .Replace("steps: 1000", "steps: 3000\nrefine: 0.01", StringComparison.Ordinal));

        var summary = await Stored.SummaryAsync(await Some.SweepAsync(config));

        foreach (var g in summary)
        {
            Assert.AreEqual(3 / g.LambdaMax!.Value, g.LrCrit!.Value, 1e-12);
            Assert.AreEqual(1.0, g.EdgeRatio!.Value, 0.01, $"{g.Dataset}/{g.Transform}");
        }
    }
}
