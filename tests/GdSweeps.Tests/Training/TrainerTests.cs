using GdSweeps.Tests.Support;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Tests.Training;

[TestClass]
public sealed class TrainerTests
{
    [TestMethod]
    public void Two_steps_on_raw_data_match_the_update_computed_by_hand()
    {
        // g(w) = (2/n) * sum((w x - y) x) = 10001 (w - 2); w1 = 1 - 1e-5 * (-10001) = 1.10001
        var outcome = Some.Train(Some.Run(Some.Raw100, lr: 1e-5, steps: 2));

        var w1 = 1 - (1e-5 * -10001.0);
        var w2 = w1 - (1e-5 * 10001 * (w1 - 2));
        Assert.AreEqual(w1, outcome.Curve[1].W, 1e-15);
        Assert.AreEqual(w2, outcome.FinalParameters[0], 1e-15);
        Assert.AreEqual(5000.5 * (w2 - 2) * (w2 - 2), outcome.FinalLoss, 1e-9);
        Assert.AreEqual(2, outcome.StepsRun);
        Assert.AreEqual(-10001.0, outcome.InitialGradient[0]);
    }

    [TestMethod]
    public void Clipping_by_norm_caps_the_gradient_at_the_threshold_exactly()
    {
        var outcome = Some.Train(Some.Run(Some.Raw100, lr: 0.1, steps: 1, clip: new ClipSpec(ClipMode.Norm, 10)));

        Assert.AreEqual(1 + (0.1 * 10), outcome.FinalParameters[0]);
        Assert.AreEqual(1, outcome.ClippedSteps);
        Assert.AreEqual(10001.0, outcome.MaxGradientNorm);
    }

    [TestMethod]
    public void Clipping_by_norm_scales_a_vector_gradient_to_the_threshold()
    {
        // x = [[1, 0], [0, 1]], y = [2, 4]: g at 0 = (2/2) * [-2, -4] = [-2, -4], norm sqrt(20)
        var p = Some.Problem(new GdSweeps.Data.Dataset("v", [1, 0, 0, 1], 2, [2, 4]));
        var outcome = Some.Train(Some.Run(p, lr: 1, w0: 0, steps: 1, clip: new ClipSpec(ClipMode.Norm, 1)));

        Assert.AreEqual(2 / Math.Sqrt(20), outcome.FinalParameters[0], 1e-15);
        Assert.AreEqual(4 / Math.Sqrt(20), outcome.FinalParameters[1], 1e-15);
    }

    [TestMethod]
    public void Clipping_by_value_clamps_each_component()
    {
        var p = Some.Problem(new GdSweeps.Data.Dataset("v", [1, 0, 0, 1], 2, [2, 0.5]));
        var outcome = Some.Train(Some.Run(p, lr: 1, w0: 0, steps: 1, clip: new ClipSpec(ClipMode.Value, 1)));

        // g = [-2, -0.5] -> [-1, -0.5]
        CollectionAssert.AreEqual(new[] { 1.0, 0.5 }, outcome.FinalParameters);
        Assert.AreEqual(1, outcome.ClippedSteps);
    }

    [TestMethod]
    public void A_gradient_below_the_threshold_is_not_clipped()
    {
        var outcome = Some.Train(Some.Run(Some.Log1p10, lr: 0.1, steps: 1, clip: new ClipSpec(ClipMode.Norm, 10)));

        Assert.AreEqual(0, outcome.ClippedSteps);
        Assert.AreEqual(1 + (0.1 * 1.8315912185), outcome.FinalParameters[0], 1e-10);
    }

    [TestMethod]
    public void A_run_that_diverges_stops_at_the_step_whose_loss_crosses_the_threshold()
    {
        // e_t = (1 - lr*lambda)^t * e_0 with lr*lambda = 3: |e| doubles each step; loss = 5000.5 * 4^t
        var p = Some.Raw100;
        var outcome = Some.Train(Some.Run(p, lr: 3 / p.HessianMax));

        var expectedStep = (int)Math.Ceiling(Math.Log(1e12 / 5000.5) / Math.Log(4));
        Assert.AreEqual(RunStatus.Diverged, outcome.Status);
        Assert.AreEqual(expectedStep, outcome.DivergedAtStep);
        Assert.AreEqual(expectedStep, outcome.StepsRun);
        Assert.IsGreaterThan(1e12, outcome.FinalLoss);
        Assert.AreEqual(expectedStep, outcome.Curve[^1].Step);
        Assert.AreEqual(5000.5, outcome.BestLoss);
    }

    [TestMethod]
    public void A_non_finite_loss_is_divergence_not_an_exception()
    {
        var outcome = Some.Train(Some.Run(Some.Raw100, lr: 1e300, steps: 10));

        Assert.AreEqual(RunStatus.Diverged, outcome.Status);
        Assert.AreEqual(1, outcome.DivergedAtStep);
    }

    [TestMethod]
    public void Half_the_critical_rate_reaches_the_optimum_in_one_step()
    {
        var p = Some.Raw100;
        var outcome = Some.Train(Some.Run(p, lr: 1 / p.HessianMax, steps: 5));

        Assert.AreEqual(RunStatus.Converged, outcome.Status);
        Assert.AreEqual(1, outcome.ConvergedAtStep);
        Assert.AreEqual(2.0, outcome.FinalParameters[0], 1e-15);
    }

    [TestMethod]
    public void Just_below_the_critical_rate_the_error_flips_sign_each_step_and_the_run_is_oscillating()
    {
        var p = Some.Raw100;
        var outcome = Some.Train(Some.Run(p, lr: 1.99 / p.HessianMax));

        Assert.AreEqual(RunStatus.Oscillating, outcome.Status);
    }

    [TestMethod]
    public void Just_above_the_critical_rate_a_run_that_stays_below_the_threshold_is_diverging()
    {
        var p = Some.Raw100;
        var outcome = Some.Train(Some.Run(p, lr: 2.002 / p.HessianMax));

        Assert.AreEqual(RunStatus.Diverging, outcome.Status);
        Assert.IsNull(outcome.DivergedAtStep);
    }

    [TestMethod]
    public void A_tiny_rate_stays_finite_but_stalls()
    {
        var outcome = Some.Train(Some.Run(Some.Log1p10, lr: 1e-6));

        Assert.AreEqual(RunStatus.Stalled, outcome.Status);
        Assert.IsNull(outcome.ConvergedAtStep);
        Assert.IsNull(outcome.DivergedAtStep);
    }

    [TestMethod]
    public void A_run_held_finite_only_by_clipping_every_step_is_clip_bound()
    {
        // lr is 50x the bound; each clipped step moves w by exactly lr*c, bouncing around w* = 2.
        var outcome = Some.Train(Some.Run(Some.Raw100, lr: 0.01, w0: 1.005, clip: new ClipSpec(ClipMode.Norm, 1)));

        Assert.AreEqual(RunStatus.Bounded, outcome.Status);
        Assert.AreEqual(1000, outcome.ClippedSteps);
    }

    [TestMethod]
    public void A_run_that_starts_at_the_optimum_is_uninformative()
    {
        var p = Some.Problem([1, 2, 3], [2, 4, 6], TransformKind.Standardize);
        var outcome = Some.Train(Some.Run(p, lr: 0.5, steps: 100));

        Assert.AreEqual(1.0, p.Optimum![0], 1e-15);
        Assert.AreEqual(RunStatus.Uninformative, outcome.Status);
    }

    [TestMethod]
    public void The_final_loss_in_original_units_maps_predictions_back_through_the_target_transform()
    {
        var p = Some.Problem([1, 10], [2, 20], TransformKind.Log1p);
        var outcome = Some.Train(Some.Run(p, lr: 1e-9, steps: 1));

        var w = outcome.FinalParameters[0];
        var expected = ((Math.Pow(2, w) - 1 - 2) * (Math.Pow(2, w) - 1 - 2) + ((Math.Exp(w * Math.Log(11)) - 1 - 20) * (Math.Exp(w * Math.Log(11)) - 1 - 20))) / 2;
        Assert.AreEqual(expected, outcome.FinalLossOriginal, 1e-12 * expected);
    }

    [TestMethod]
    public void A_warmup_scales_the_first_steps_linearly()
    {
        var schedule = new ScheduleSpec(WarmupSteps: 4);

        CollectionAssert.AreEqual(new[] { 0.25, 0.5, 0.75, 1.0, 1.0 }, Enumerable.Range(0, 5).Select(schedule.Factor).ToArray());
    }

    [TestMethod]
    public void A_step_decay_multiplies_by_gamma_every_interval()
    {
        var schedule = new ScheduleSpec(DecayEvery: 2, DecayGamma: 0.5);

        CollectionAssert.AreEqual(new[] { 1.0, 1.0, 0.5, 0.5, 0.25 }, Enumerable.Range(0, 5).Select(schedule.Factor).ToArray());
    }

    [TestMethod]
    public void The_log_schedule_keeps_early_steps_log_spaced_steps_and_the_last()
    {
        var steps = CurveSchedule.Steps(1000, all: false);

        CollectionAssert.IsSubsetOf(Enumerable.Range(0, 11).ToArray(), steps);
        CollectionAssert.Contains(steps, 100);
        Assert.AreEqual(1000, steps[^1]);
        Assert.IsLessThan(80, steps.Length);
        CollectionAssert.AreEqual(steps.Order().Distinct().ToArray(), steps);
    }
}
