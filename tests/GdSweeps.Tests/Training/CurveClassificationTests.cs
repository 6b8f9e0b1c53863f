namespace GdSweeps.Tests.Training;

/// <summary>
/// A command's run is classified from its reported curve alone, by the model-free rules of docs/analysis.md.
/// </summary>
[TestClass]
public sealed class CurveClassificationTests
{
    private static (RunStatus, int?) Classify(double[] losses, double[]? norms = null, double tolerance = 1e-6)
    {
        var steps = Enumerable.Range(0, losses.Length).ToArray();
        return CurveClassification.Classify(steps, losses, norms ?? [.. losses.Select(_ => double.NaN)], tolerance);
    }

    private static double[] Geometric(int n, double start, double factor) => [.. Enumerable.Range(0, n).Select(t => start * Math.Pow(factor, t))];

    [TestMethod]
    public void A_gradient_norm_that_fell_by_the_tolerance_is_converged_at_the_first_step_it_held()
    {
        var (status, at) = Classify(Geometric(40, 1, 0.9), Geometric(40, 1, 0.5), tolerance: 1e-3);

        Assert.AreEqual(RunStatus.Converged, status);
        Assert.AreEqual(10, at); // 0.5^10 < 1e-3 <= 0.5^9
    }

    [TestMethod]
    public void Without_gradient_norms_the_loss_measures_convergence()
    {
        Assert.AreEqual(RunStatus.Converged, Classify(Geometric(40, 1, 0.5), tolerance: 1e-6).Item1);
        Assert.AreEqual(RunStatus.Stalled, Classify(Geometric(40, 1, 0.99), tolerance: 1e-6).Item1);
    }

    [TestMethod]
    public void A_loss_that_ends_above_its_start_or_grows_over_the_tail_is_diverging()
    {
        Assert.AreEqual(RunStatus.Diverging, Classify([1, 0.5, 0.6, 0.8, 1.2]).Item1);
        double[] dipThenGrow = [.. Geometric(60, 10, 0.9), .. Geometric(20, 10 * Math.Pow(0.9, 59), 1.05)];
        Assert.AreEqual(RunStatus.Diverging, Classify(dipThenGrow).Item1);
    }

    [TestMethod]
    public void A_loss_that_rises_late_but_not_over_its_tail_is_oscillating_and_a_smooth_one_stalled()
    {
        double[] bumpy = [.. Geometric(40, 1, 0.97).Select((l, t) => t == 36 ? l * 1.05 : l)];

        Assert.AreEqual(RunStatus.Oscillating, Classify(bumpy).Item1);
        Assert.AreEqual(RunStatus.Stalled, Classify(Geometric(40, 1, 0.97)).Item1);
    }

    [TestMethod]
    public void A_run_that_starts_with_nothing_to_learn_is_uninformative()
    {
        Assert.AreEqual(RunStatus.Uninformative, Classify([0, 0, 0]).Item1);
        Assert.AreEqual(RunStatus.Uninformative, Classify([1, 1, 1], [0, 0, 0]).Item1);
    }

    [TestMethod]
    public void The_tail_rule_needs_a_report_in_both_windows()
    {
        // Reports at steps 0 and 100 only: the windows before the last eighth hold nothing, so nothing grew over them.
        Assert.IsFalse(CurveClassification.TailGrew([0, 100], [2, 1]));
    }
}
