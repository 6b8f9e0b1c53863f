using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Training;

/// <summary>The seed question's numbers, exactly, on both kernels.</summary>
[TestClass]
public sealed class SeedNumbersTests
{
    [TestMethod]
    public void Raw_x_1_100_at_w_1_has_loss_5000_5_and_gradient_minus_10001_exactly()
    {
        var p = Some.Raw100;

        var fastGrad = new double[1];
        var sampleGrad = new double[1];
        var fastLoss = Objective.FromSums(p, [1.0], fastGrad);
        var sampleLoss = Objective.PerSample(p, [1.0], sampleGrad);

        Assert.AreEqual(5000.5, fastLoss);
        Assert.AreEqual(-10001.0, fastGrad[0]);
        Assert.AreEqual(5000.5, sampleLoss);
        Assert.AreEqual(-10001.0, sampleGrad[0]);
    }

    [TestMethod]
    public void Log1p_of_x_1_10_at_w_1_has_gradient_minus_1_8315912185()
    {
        var p = Some.Log1p10;

        var fastGrad = new double[1];
        var sampleGrad = new double[1];
        Objective.FromSums(p, [1.0], fastGrad);
        Objective.PerSample(p, [1.0], sampleGrad);

        Assert.AreEqual(-1.8315912185, fastGrad[0], 1e-9);
        Assert.AreEqual(-1.8315912185, sampleGrad[0], 1e-9);
    }

    [TestMethod]
    public void The_closed_form_optimum_and_bound_match_the_seed()
    {
        var raw = Some.Raw100;
        var log = Some.Log1p10;

        Assert.AreEqual(2.0, raw.Optimum![0]);
        Assert.AreEqual(0.0, raw.LossStar);
        Assert.AreEqual(10001.0, raw.LambdaMax); // (2/2) * (1 + 10000)
        Assert.AreEqual(2.0 / 10001, raw.LrCritGd!.Value, 1e-18);
        var sxx = (Math.Log(2) * Math.Log(2)) + (Math.Log(11) * Math.Log(11));
        var sxy = (Math.Log(2) * Math.Log(3)) + (Math.Log(11) * Math.Log(21));
        Assert.AreEqual(sxy / sxx, log.Optimum![0], 1e-15);
        Assert.AreEqual(2.0 / sxx, log.LrCritGd!.Value, 1e-15);
        Assert.AreEqual(0.321, log.LrCritGd.Value, 5e-4);
    }
}
