using GdSweeps.Configs;
using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Training;

[TestClass]
public sealed class GradientDescentTests
{
    private static readonly SweepConfig Settings = Some.Config();

    private static RunOutcome Run(LinearProblem p, double w0, double lr, double? clip, int steps, SweepConfig? settings = null) =>
        GradientDescent.Run(p, w0, lr, clip, steps, settings ?? Settings, CurveSchedule.Steps(steps, all: true));

    [TestMethod]
    public void Two_steps_on_raw_data_match_the_update_computed_by_hand()
    {
        // g(w) = (2/n) * sum((w x - y) x) = 10001 (w - 2); w1 = 1 - 1e-5 * (-10001) = 1.10001
        var outcome = Run(Some.Raw100, w0: 1, lr: 1e-5, clip: null, steps: 2);

        var w1 = 1 - (1e-5 * -10001.0);
        var w2 = w1 - (1e-5 * 10001 * (w1 - 2));
        Assert.AreEqual(w1, outcome.Curve[1].W, 1e-15);
        Assert.AreEqual(w2, outcome.FinalW, 1e-15);
        Assert.AreEqual(5000.5 * (w2 - 2) * (w2 - 2), outcome.FinalLoss, 1e-9);
        Assert.AreEqual(2, outcome.StepsRun);
        Assert.AreEqual(-10001.0, outcome.InitialGradient);
    }

    [TestMethod]
    public void Clipping_caps_the_gradient_norm_at_the_threshold_exactly()
    {
        var outcome = Run(Some.Raw100, w0: 1, lr: 0.1, clip: 10, steps: 1);

        Assert.AreEqual(1 + (0.1 * 10), outcome.FinalW);
        Assert.AreEqual(1, outcome.ClippedSteps);
        Assert.AreEqual(10001.0, outcome.MaxGradientNorm);
    }

    [TestMethod]
    public void A_gradient_below_the_threshold_is_not_clipped()
    {
        var outcome = Run(Some.Log1p10, w0: 1, lr: 0.1, clip: 10, steps: 1);

        Assert.AreEqual(0, outcome.ClippedSteps);
        Assert.AreEqual(1 + (0.1 * 1.8315912185), outcome.FinalW, 1e-10);
    }

    [TestMethod]
    public void A_run_that_diverges_stops_at_the_step_whose_loss_crosses_the_threshold()
    {
        // e_t = (1 - lr*lambda)^t * e_0 with lr*lambda = 3: |e| doubles each step; loss = 5000.5 * 4^t
        var p = Some.Raw100;
        var outcome = Run(p, w0: 1, lr: 3 / p.LambdaMax, clip: null, steps: 1000);

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
        var outcome = Run(Some.Raw100, w0: 1, lr: 1e300, clip: null, steps: 10);

        Assert.AreEqual(RunStatus.Diverged, outcome.Status);
        Assert.AreEqual(1, outcome.DivergedAtStep);
    }

    [TestMethod]
    public void Half_the_critical_rate_reaches_the_optimum_in_one_step()
    {
        var p = Some.Raw100;
        var outcome = Run(p, w0: 1, lr: 1 / p.LambdaMax, clip: null, steps: 5);

        Assert.AreEqual(RunStatus.Converged, outcome.Status);
        Assert.AreEqual(1, outcome.ConvergedAtStep);
        Assert.AreEqual(2.0, outcome.FinalW, 1e-15);
    }

    [TestMethod]
    public void A_tiny_rate_stays_finite_but_does_not_converge()
    {
        var outcome = Run(Some.Log1p10, w0: 1, lr: 1e-6, clip: null, steps: 1000);

        Assert.AreEqual(RunStatus.Stable, outcome.Status);
        Assert.IsNull(outcome.ConvergedAtStep);
        Assert.IsNull(outcome.DivergedAtStep);
    }

    [TestMethod]
    public void A_run_that_starts_at_the_optimum_is_uninformative()
    {
        var p = Some.Problem([1, 2, 3], [2, 4, 6], GdSweeps.Transforms.TransformKind.Standardize);
        var outcome = Run(p, w0: 1, lr: 0.5, clip: null, steps: 100);

        Assert.AreEqual(1.0, p.WStar, 1e-15);
        Assert.AreEqual(RunStatus.Uninformative, outcome.Status);
    }

    [TestMethod]
    public void The_log_schedule_keeps_early_steps_log_spaced_steps_and_the_last()
    {
        var steps = CurveSchedule.Steps(1000, all: false);

        CollectionAssert.IsSubsetOf(Enumerable.Range(0, 11).ToArray(), steps);
        CollectionAssert.Contains(steps, 100);
        CollectionAssert.Contains(steps, 1000);
        Assert.AreEqual(1000, steps[^1]);
        Assert.IsLessThan(80, steps.Length);
        CollectionAssert.AreEqual(steps.Order().Distinct().ToArray(), steps);
    }
}
