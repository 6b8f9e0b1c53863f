using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Training;

/// <summary>
/// The first two steps of every optimizer on L(w) = (w - 2)^2 (x = [1], y = [2]), whose gradient is g(w) = 2(w - 2),
/// from w0 = 1 (g0 = -2), against values worked out by hand from each optimizer's published update rule.
/// </summary>
[TestClass]
public sealed class OptimizerTests
{
    private static readonly Problem Unit = Some.Problem([1], [2]);

    private static double[] TwoSteps(OptimizerSpec optimizer, double lr)
    {
        var outcome = Some.Train(Some.Run(Unit, lr, steps: 2, optimizer: optimizer));
        return [outcome.Curve[1].W, outcome.Curve[2].W];
    }

    private static OptimizerSpec Spec(OptimizerKind kind, params (string Key, double Value)[] given) =>
        OptimizerSpec.WithDefaults(kind, given.ToDictionary(g => g.Key, g => g.Value));

    [TestMethod]
    public void Gd_steps_along_the_gradient()
    {
        // w1 = 1 + 0.1 * 2 = 1.2; g1 = -1.6; w2 = 1.2 + 0.16 = 1.36
        var w = TwoSteps(OptimizerSpec.Gd, 0.1);

        Assert.AreEqual(1.2, w[0], 1e-15);
        Assert.AreEqual(1.36, w[1], 1e-15);
    }

    [TestMethod]
    public void Momentum_accumulates_the_gradient_as_torch_sgd_does()
    {
        // buf1 = g0 = -2; w1 = 1.2; g1 = -1.6; buf2 = 0.9 * -2 - 1.6 = -3.4; w2 = 1.2 + 0.34 = 1.54
        var w = TwoSteps(Spec(OptimizerKind.Momentum, ("beta", 0.9)), 0.1);

        Assert.AreEqual(1.2, w[0], 1e-15);
        Assert.AreEqual(1.54, w[1], 1e-15);
    }

    [TestMethod]
    public void Nesterov_looks_ahead_along_the_momentum()
    {
        // buf1 = -2; step = -2 + 0.9 * -2 = -3.8; w1 = 1.38; g1 = -1.24; buf2 = -1.8 - 1.24 = -3.04;
        // step = -1.24 + 0.9 * -3.04 = -3.976; w2 = 1.38 + 0.3976 = 1.7776
        var w = TwoSteps(Spec(OptimizerKind.Nesterov, ("beta", 0.9)), 0.1);

        Assert.AreEqual(1.38, w[0], 1e-15);
        Assert.AreEqual(1.7776, w[1], 1e-15);
    }

    [TestMethod]
    public void Adam_follows_pytorchs_update_rule()
    {
        // torch.optim.Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
        // w -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
        // t=1: m = -0.2, v = 0.004: w1 = 1 + 0.1 * 2 / (2 + 1e-8)
        var w = TwoSteps(Spec(OptimizerKind.Adam), 0.1);

        var w1 = 1 + (0.1 * 2 / (2 + 1e-8));
        var g1 = 2 * (w1 - 2);
        var m = (0.9 * -0.2) + (0.1 * g1);
        var v = (0.999 * 0.004) + (0.001 * g1 * g1);
        var w2 = w1 - (0.1 / (1 - 0.81) * m / ((Math.Sqrt(v) / Math.Sqrt(1 - (0.999 * 0.999))) + 1e-8));
        Assert.AreEqual(w1, w[0], 1e-15);
        Assert.AreEqual(w2, w[1], 1e-15);
        Assert.AreEqual(1.1995877, w[1], 1e-7); // 1.1 + 0.1 * 1.894737 / 1.902580
    }

    [TestMethod]
    public void Rmsprop_divides_by_the_running_root_mean_square()
    {
        // v1 = 0.01 * 4 = 0.04: w1 = 1 + 0.01 * 2 / (0.2 + 1e-8)
        var w = TwoSteps(Spec(OptimizerKind.RmsProp), 0.01);

        var w1 = 1 + (0.01 * 2 / (0.2 + 1e-8));
        var g1 = 2 * (w1 - 2);
        var v2 = (0.99 * 0.04) + (0.01 * g1 * g1);
        Assert.AreEqual(w1, w[0], 1e-15);
        Assert.AreEqual(w1 - (0.01 * g1 / (Math.Sqrt(v2) + 1e-8)), w[1], 1e-15);
        Assert.AreEqual(1.0999999950, w[0], 1e-10);
    }

    [TestMethod]
    public void Adagrad_divides_by_the_root_of_summed_squares()
    {
        // s1 = 4: w1 = 1 + 0.1 * 2 / 2 = 1.1; g1 = -1.8; s2 = 7.24; w2 = 1.1 + 0.18 / sqrt(7.24)
        var w = TwoSteps(Spec(OptimizerKind.Adagrad), 0.1);

        Assert.AreEqual(1.1, w[0], 1e-10);
        Assert.AreEqual(1.1 + (0.18 / Math.Sqrt(7.24)), w[1], 1e-10);
    }

    [TestMethod]
    public void Normalized_gd_steps_a_fixed_length()
    {
        var w = TwoSteps(Spec(OptimizerKind.Normalized), 0.1);

        Assert.AreEqual(1.1, w[0], 1e-15);
        Assert.AreEqual(1.2, w[1], 1e-15);
    }

    [TestMethod]
    public void Sgd_with_the_whole_batch_is_gd()
    {
        var p = Some.Problem([1, 2, 3, 4], [2, 4.5, 5.5, 8]);

        var sgd = Some.Train(Some.Run(p, lr: 0.01, steps: 50, optimizer: Spec(OptimizerKind.Sgd, ("batch_size", 4))), new TrainSettings(PerSample: true));
        var gd = Some.Train(Some.Run(p, lr: 0.01, steps: 50), new TrainSettings(PerSample: true));

        Assert.AreEqual(gd.FinalParameters[0], sgd.FinalParameters[0], 1e-14);
    }

    [TestMethod]
    public void Sgd_with_one_sample_steps_on_that_sample_and_is_reproducible_from_its_seed()
    {
        var p = Some.Problem([1, 2, 3, 4], [2, 4.5, 5.5, 8]);
        var spec = Some.Run(p, lr: 0.01, steps: 3, optimizer: Spec(OptimizerKind.Sgd, ("batch_size", 1)), seed: 5);

        var first = Some.Train(spec);
        var again = Some.Train(spec);
        var other = Some.Train(Some.Run(p, lr: 0.01, steps: 3, optimizer: Spec(OptimizerKind.Sgd, ("batch_size", 1)), seed: 6));

        CollectionAssert.AreEqual(first.FinalParameters, again.FinalParameters);
        Assert.AreNotEqual(first.FinalParameters[0], other.FinalParameters[0]);
        // one step on a single sample (x, y) from w = 1 moves w by 0.01 * 2 * (y - x) * x: one of 0.02, 0.1, 0.15, 0.32
        var moved = Math.Round((first.Curve[1].W - 1) / 0.01, 9);
        CollectionAssert.Contains(new[] { 2.0, 10.0, 15.0, 32.0 }, moved);
    }

    [TestMethod]
    public void Heavy_ball_momentum_is_stable_exactly_below_2_1_plus_beta_over_lambda()
    {
        var p = Some.Raw100;
        var momentum = Spec(OptimizerKind.Momentum, ("beta", 0.5));
        var bound = momentum.Bound(p.HessianMax)!.Value;

        var below = Some.Train(Some.Run(p, lr: 0.99 * bound, steps: 5000, optimizer: momentum), allSteps: false);
        var above = Some.Train(Some.Run(p, lr: 1.01 * bound, steps: 5000, optimizer: momentum), allSteps: false);

        Assert.AreEqual(3 / p.HessianMax, bound, 1e-18);
        Assert.IsTrue(below.Status.IsStable(), below.Status.ToString());
        Assert.IsTrue(above.Status is RunStatus.Diverged or RunStatus.Diverging, above.Status.ToString());
    }

    [TestMethod]
    public void Only_gd_heavy_ball_and_nesterov_momentum_have_an_analytic_bound()
    {
        foreach (var kind in Enum.GetValues<OptimizerKind>())
        {
            var bound = Spec(kind).Bound(4);
            Assert.AreEqual(kind is OptimizerKind.Gd or OptimizerKind.Momentum or OptimizerKind.Nesterov, bound is not null, kind.ToString());
        }
    }

    [TestMethod]
    [DataRow(0.5)]
    [DataRow(0.9)]
    public void Nesterov_on_a_quadratic_converges_just_below_its_bound_and_not_just_above(double beta)
    {
        // lr < 2(1 + beta)/((1 + 2 beta) lambda): on the seed's raw data (lambda = 10001) a hair either side of it.
        var p = Some.Raw100;
        var nesterov = Spec(OptimizerKind.Nesterov, ("beta", beta));
        var bound = nesterov.Bound(p.HessianMax)!.Value;
        Assert.AreEqual(2 * (1 + beta) / ((1 + (2 * beta)) * 10001), bound, 1e-15);

        var below = Some.Train(Some.Run(p, 0.99 * bound, steps: 20000, optimizer: nesterov));
        var above = Some.Train(Some.Run(p, 1.01 * bound, steps: 20000, optimizer: nesterov));

        Assert.IsTrue(below.Status.IsStable(), below.Status.Name());
        Assert.IsTrue(above.Status.IsUnstable(), above.Status.Name());
        Assert.AreEqual(bound, below.LrCrit!.Value, 1e-15);
    }
}
