using GdSweeps.Analysis;
using GdSweeps.Data;
using GdSweeps.Transforms;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Training;

/// <summary>
/// Clipped GD on MSE converges if and only if lr &lt; 2/lambda_max (given the steps to arrive): near the optimum no step
/// is capped, and there it is plain GD. Above the bound clipping only keeps the run finite, swinging. Checked on
/// constructed cases: one and several parameters, clipping by norm and by value, starts clipped and unclipped.
/// </summary>
[TestClass]
public sealed class ClippingTests
{
    private static readonly Problem TwoFeatures = Some.Problem(
        new Dataset("two", [1, 0.8, 2, 1.7, 3, 2.9, 0.5, 0.7, 1.5, 1.1], 2, [1.9, 4.1, 6.2, 1.2, 2.8]));

    private static readonly Problem Affine = Some.Problem(
        new Dataset("affine", [2.4, 3.1, 4.0, 4.6, 5.3, 6.2, 6.9, 7.6], [7.9, 9.4, 10.8, 12.1, 13.0, 14.9, 16.2, 17.0]), ModelKind.Affine);

    private static readonly Problem FiveFeatures = Some.Problem(new Dataset("five",
        [1, 0.5, 0.2, 3, 1, 2, 1.5, 0.1, 0.4, 2, 0.3, 2.2, 1, 1.1, 0.5, 1.5, 0.7, 3, 2, 0.2, 0.9, 1.3, 0.6, 0.8, 2.5, 2, 0.4, 1.2, 1.8, 0.3, 0.6, 2.1, 1.4, 0.9, 1],
        5, [3.1, 4.2, 2.2, 5.0, 3.3, 4.4, 3.9]));

    private static IEnumerable<(string Name, Problem Problem)> Problems =>
        [("x = {1, 100}", Some.Raw100), ("log1p of {1, 10}", Some.Log1p10), ("two features", TwoFeatures), ("affine", Affine), ("five features", FiveFeatures)];

    private static IEnumerable<ClipSpec> Clips(Problem p)
    {
        // Thresholds from well below to well above the gradient at the start: starts clipped and unclipped.
        var g0 = 2 * p.HessianMax * Math.Max(1, p.Optimum!.Max(Math.Abs));
        foreach (var fraction in new[] { 1e-3, 0.1, 10 })
        {
            yield return new ClipSpec(ClipMode.Norm, g0 * fraction);
            yield return new ClipSpec(ClipMode.Value, g0 * fraction);
        }
    }

    [TestMethod]
    public void Above_the_bound_no_clipped_run_converges_and_below_it_every_one_that_arrives_does()
    {
        var checkedRuns = 0;
        foreach (var (name, p) in Problems)
        {
            var bound = 2 / p.HessianMax;
            foreach (var clip in Clips(p))
            {
                foreach (var factor in new[] { 0.3, 0.9, 0.99, 1.01, 1.1, 2, 10, 1000 })
                {
                    var spec = Some.Run(p, factor * bound, steps: 4000, clip: clip, init: new InitSpec([.. Enumerable.Repeat(1.0, p.Features)], null));
                    var outcome = Some.Train(spec, allSteps: false);
                    var what = $"{name}, {clip.Label}, {factor} x the bound: {outcome.Status.Name()}";
                    if (factor > 1)
                    {
                        Assert.IsFalse(outcome.Status.IsStable(), what);
                    }
                    else if (outcome.StepsToArrive < 1000)
                    {
                        // Time to arrive and then to converge: plain GD from there on.
                        Assert.IsTrue(outcome.Status.IsStable(), what);
                    }
                    else
                    {
                        Assert.IsTrue(outcome.Status is RunStatus.InTransit || outcome.Status.IsStable(), what);
                    }

                    checkedRuns++;
                }
            }
        }

        Assert.AreEqual(5 * 6 * 8, checkedRuns);
    }

    [TestMethod]
    public void A_one_dimensional_swing_above_the_bound_is_bounded_whether_or_not_its_first_step_was_clipped()
    {
        // log1p of x = {1, 100}: lambda 21.78, the bound 0.0918; at lr 1 a clip of 1 and one of 10 both swing in a 2-cycle.
        var p = Some.Problem([1, 100], [2, 200], TransformKind.Log1p);
        var one = Some.Train(Some.Run(p, 1, clip: new ClipSpec(ClipMode.Norm, 1)));
        var ten = Some.Train(Some.Run(p, 1, clip: new ClipSpec(ClipMode.Norm, 10)));
        var far = Some.Train(Some.Run(p, 1, clip: new ClipSpec(ClipMode.Norm, 1), w0: -30));

        Assert.AreEqual(RunStatus.Bounded, one.Status);
        Assert.AreEqual(RunStatus.Bounded, ten.Status);
        Assert.AreEqual(RunStatus.Bounded, far.Status);
    }

    [TestMethod]
    public void A_capped_step_that_lands_on_the_optimum_is_landed_votes_nothing_and_is_never_the_best_rate()
    {
        // Raw x = {1, 100}: from w = 1 a capped step of lr c = 1 lands exactly on w* = 2, 5000 times the bound.
        var outcome = Some.Train(Some.Run(Some.Raw100, 1, clip: new ClipSpec(ClipMode.Norm, 1)));

        Assert.AreEqual(RunStatus.Landed, outcome.Status);
        Assert.IsNull(RunStatuses.Verdict([outcome.Status]));
        Assert.IsTrue(RunStatuses.Verdict([outcome.Status], finite: true)!.Value);
    }

    [TestMethod]
    public void A_run_that_cannot_arrive_within_its_budget_is_in_transit_and_says_how_many_steps_it_needs()
    {
        // Raw x = {1, 100}, clip 1, just below the bound: steps of lr c = 2e-4 over a distance of 1.
        var lr = 0.99 * 2 / Some.Raw100.HessianMax;
        var outcome = Some.Train(Some.Run(Some.Raw100, lr, steps: 1000, clip: new ClipSpec(ClipMode.Norm, 1)));

        Assert.AreEqual(RunStatus.InTransit, outcome.Status);
        Assert.AreEqual((long)Math.Ceiling(1 / (lr * 1)), outcome.StepsToArrive);
        var longer = Some.Train(Some.Run(Some.Raw100, lr, steps: 20000, clip: new ClipSpec(ClipMode.Norm, 1)));
        Assert.IsTrue(longer.Status.IsStable(), longer.Status.Name());
    }

    /// <summary>
    /// A run whose capped steps are far too small to have crossed from its start (or round to nothing at all) has not
    /// arrived: in transit, never bounded, whatever its components did; above the bound as below it, by norm and by
    /// value, one parameter or several, plain or with momentum.
    /// </summary>
    [TestMethod]
    [DataRow(1e-20, 1.0, "norm")]
    [DataRow(1e-18, 1.0, "norm")]
    [DataRow(1e-300, 1e-6, "value")]
    [DataRow(1.0, 1e-300, "norm")]
    [DataRow(1e-3, 1e-12, "value")]
    public void A_run_whose_capped_steps_cannot_have_crossed_is_in_transit_never_bounded(double lr, double c, string mode)
    {
        var clip = new ClipSpec(mode == "norm" ? ClipMode.Norm : ClipMode.Value, c);
        var momentum = OptimizerSpec.WithDefaults(OptimizerKind.Momentum, new Dictionary<string, double> { ["beta"] = 0.9 });
        foreach (var (name, problem) in Problems)
        {
            foreach (var optimizer in new[] { OptimizerSpec.Gd, momentum })
            {
                var outcome = Some.Train(Some.Run(problem, lr, steps: 200, clip: clip, optimizer: optimizer));

                Assert.AreEqual(RunStatus.InTransit, outcome.Status, $"{name}, {optimizer.Kind}, lr {lr}, clip {c}");
                Assert.IsNull(RunStatuses.Verdict([outcome.Status]), "it votes on nothing");
            }
        }
    }

    [TestMethod]
    public void Momentum_arrives_at_its_top_speed_so_its_steps_to_arrive_are_a_lower_bound()
    {
        // Capped heavy-ball moves at most lr c / (1 - beta) a step: from 3 away at lr c = 0.01 and beta 0.9, no fewer
        // than 30 steps; the run, measured, takes at least that many to come within the tolerance.
        var p = Some.Log1p10;
        var momentum = OptimizerSpec.WithDefaults(OptimizerKind.Momentum, new Dictionary<string, double> { ["beta"] = 0.9 });
        var lr = 0.1 * momentum.Bound(p.HessianMax)!.Value;
        var c = 0.01 / lr;
        var outcome = Some.Train(Some.Run(p, lr, steps: 5000, optimizer: momentum, clip: new ClipSpec(ClipMode.Norm, c), w0: p.Optimum![0] + 3));

        Assert.AreEqual(30L, outcome.StepsToArrive);
        Assert.IsTrue(outcome.Status.IsStable() || outcome.Status == RunStatus.Landed, outcome.Status.Name());
        Assert.IsGreaterThanOrEqualTo(30, outcome.ConvergedAtStep ?? outcome.StepsRun);
    }

    [TestMethod]
    public void Clipped_heavy_ball_can_swing_below_its_bound_and_is_then_bounded_not_stable()
    {
        // beta 0.9, clip 0.1, half its bound 2(1 + beta)/lambda, 3 from the optimum: the capped momentum settles into a
        // cycle of amplitude about 0.1, not the optimum; unclipped, the same rate converges.
        var p = Some.Log1p10;
        var momentum = OptimizerSpec.WithDefaults(OptimizerKind.Momentum, new Dictionary<string, double> { ["beta"] = 0.9 });
        var lr = 0.5 * momentum.Bound(p.HessianMax)!.Value;
        var w0 = p.Optimum![0] + 3;
        var clipped = Some.Train(Some.Run(p, lr, steps: 3000, optimizer: momentum, clip: new ClipSpec(ClipMode.Norm, 0.1), w0: w0));
        var free = Some.Train(Some.Run(p, lr, steps: 3000, optimizer: momentum, w0: w0));

        Assert.AreEqual(RunStatus.Bounded, clipped.Status);
        Assert.AreEqual(RunStatus.Converged, free.Status);
    }

    [TestMethod]
    public void Past_the_bound_a_clipped_run_stays_finite_up_to_the_rate_its_swing_crosses_the_threshold()
    {
        // The swing's loss reaches about (lambda/2) (lr c)^2: it crosses 1e12 near sqrt(2e12 / lambda) / c.
        var p = Some.Raw100;
        var clip = new ClipSpec(ClipMode.Norm, 10);
        var predicted = Theory.FiniteRate(p, clip, 1e12)!.Value;
        Assert.AreEqual(Math.Sqrt(2 * (1e12 - p.LossStar!.Value) / p.HessianMax) / 10, predicted, 1e-9 * predicted);

        var below = Some.Train(Some.Run(p, 0.9 * predicted, clip: clip));
        var above = Some.Train(Some.Run(p, 1.1 * predicted, clip: clip));

        Assert.AreEqual(RunStatus.Bounded, below.Status);
        Assert.AreEqual(RunStatus.Diverged, above.Status);
        Assert.AreEqual(predicted, below.LrFinite!.Value, 1e-9 * predicted);
    }

    [TestMethod]
    public async Task The_convergence_edges_do_not_move_with_the_divergence_threshold()
    {
        // Clipped groups used to stay "stable" up to wherever the swing crossed the threshold.
        var refined = Some.SeedYaml + "\nrefine: true\n";
        var low = await Stored.SummaryAsync(await Some.SweepAsync(Some.Config(refined + "divergence_threshold: 1.0e12\n")));
        var high = await Stored.SummaryAsync(await Some.SweepAsync(Some.Config(refined + "divergence_threshold: 1.0e20\n")));

        Assert.HasCount(16, low);
        for (var i = 0; i < low.Count; i++)
        {
            Assert.AreEqual(low[i].MaxStableLr, high[i].MaxStableLr, $"{low[i].Dataset} {low[i].Transform} clip {low[i].Clip}");
            Assert.AreEqual(low[i].MinUnstableLr, high[i].MinUnstableLr, $"{low[i].Dataset} {low[i].Transform} clip {low[i].Clip}");
        }
    }

    [TestMethod]
    [DataRow("seed")]
    [DataRow("houses")]
    public async Task In_a_refined_sweep_no_clipped_rate_above_the_bound_converges_and_the_voting_edges_are_within_1_percent_below(string config)
    {
        // The seed, and a real data set with clipping: houses (three features and a bias, four transforms, clip 10).
        var plan = config == "seed"
            ? Some.Config(Some.SeedYaml + "\nrefine: true\n")
            : SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", "houses.yaml"), ["refine=true"]);
        var dir = await Some.SweepAsync(plan);
        var runs = await Stored.RunsAsync(dir);
        var summary = await Stored.SummaryAsync(dir);

        foreach (var run in runs.Where(r => r.Clip is not null && r.LearningRate > r.LrCrit))
        {
            // Swinging, landed, blown up, or still on its way: never converging.
            Assert.IsTrue(run.Status is "bounded" or "landed" or "diverged" or "diverging" or "in-transit", $"{run.Dataset} {run.Transform} clip {run.Clip} at {run.LearningRate}: {run.Status}");
        }

        var voted = 0;
        foreach (var group in summary.Where(g => g.Clip is not null))
        {
            var what = $"{group.Dataset} {group.Transform} clip {group.Clip}";
            if (group.MaxStableLr is { } edge && group.EdgeRatio is not null)
            {
                Assert.IsLessThanOrEqualTo(group.LrCrit!.Value, edge, what);
                Assert.IsGreaterThanOrEqualTo(0.99 * group.LrCrit!.Value, edge, what);
                voted++;
            }
            else
            {
                // No edge: no run near the bound could arrive within the budget, and the summary says how far it had to go.
                var path = Path.Combine(dir, SummaryFiles.SummaryFileName);
                var chunk = (await (await Tables.OfFileAsync<GroupSummary>(path, default)).ReadAsync(path)).Single();
                var row = Enumerable.Range(0, chunk.Count).Single(i => chunk.Get<double?>("clip")[i] == group.Clip && chunk.Get<string?>("transform")[i] == group.Transform
                    && chunk.Get<string?>("dataset")[i] == group.Dataset);
                Assert.IsNotNull(chunk.Get<int?>("in_transit_steps")[row], what);
            }
        }

        Assert.IsGreaterThanOrEqualTo(config == "seed" ? 5 : 2, voted);
    }

    [TestMethod]
    public async Task Predicted_and_measured_steps_to_converge_agree_within_one_step_for_unclipped_gd()
    {
        var plans = new[]
        {
            Some.Config(),
            Some.Config("""
                datasets:
                  - {name: two, x: [[1, 0.8], [2, 1.7], [3, 2.9], [0.5, 0.7], [1.5, 1.1]], y: [1.9, 4.1, 6.2, 1.2, 2.8]}
                  - {name: five, generate: {x: {uniform: {from: 0, to: 3, count: 40}}, a: 2, b: 0, noise: 0.1, seed: 3}}
                transforms: [none, standardize]
                model: [linear, affine]
                w0: [1, -2]
                learning_rates: {logspace: {from: 1.0e-3, to: 1, per_decade: 8}}
                steps: 3000
                """, "speed.yaml"),
        };
        var compared = 0;
        foreach (var plan in plans)
        {
            foreach (var run in Some.Runs(plan).Where(r => r.Get(SweepAxes.Clip) is null))
            {
                var outcome = Some.Train(run, plan.Settings, allSteps: false);
                if (outcome.Status == RunStatus.Converged)
                {
                    Assert.IsNotNull(outcome.PredictedSteps);
                    Assert.IsLessThanOrEqualTo(1L, Math.Abs(outcome.PredictedSteps!.Value - outcome.ConvergedAtStep!.Value), $"{run.Problem.Dataset.Name} at {run.LearningRate}");
                    compared++;
                }
                else if (outcome.Status == RunStatus.Stalled)
                {
                    Assert.IsGreaterThan((long)run.Get(SweepAxes.Steps), outcome.PredictedSteps!.Value, "a stalled run needs more than its budget");
                }
            }
        }

        Assert.IsGreaterThan(150, compared);
    }
}
