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
