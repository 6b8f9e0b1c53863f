using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Training;

/// <summary>The O(1) kernel from sums and the per-sample kernel compute the same math.</summary>
[TestClass]
public sealed class KernelAgreementTests
{
    [TestMethod]
    public void Both_kernels_agree_to_1e_9_relative_on_random_problems()
    {
        var random = new Random(20261128);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = random.Next(1, 3000);
            var scale = Math.Pow(10, random.Next(-3, 5));
            var x = new double[n];
            var y = new double[n];
            var a = (random.NextDouble() * 4) - 2;
            for (var i = 0; i < n; i++)
            {
                x[i] = (random.NextDouble() - 0.3) * scale;
                y[i] = (a * x[i]) + (random.NextDouble() - 0.5);
            }

            var p = Some.Problem(x, y);
            var w = p.WStar + (((random.NextDouble() * 2) - 1) * 10);

            var fast = LinearMse.LossAndGradient(p, w, out var fastGrad);
            var slow = LinearMse.LossAndGradient(x, y, w, out var slowGrad);

            Assert.AreEqual(slow, fast, 1e-9 * Math.Abs(slow), $"loss, trial {trial}, n={n}");
            Assert.AreEqual(slowGrad, fastGrad, 1e-9 * Math.Abs(slowGrad), $"gradient, trial {trial}, n={n}");
        }
    }

    [TestMethod]
    public void The_vector_loop_matches_a_plain_loop_for_every_length_around_the_vector_width()
    {
        var random = new Random(7);
        for (var n = 1; n < 70; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 10).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 10).ToArray();
            double loss = 0, grad = 0;
            for (var i = 0; i < n; i++)
            {
                var r = (0.7 * x[i]) - y[i];
                loss += r * r;
                grad += r * x[i];
            }

            var actual = LinearMse.LossAndGradient(x, y, 0.7, out var actualGrad);

            Assert.AreEqual(loss / n, actual, 1e-12 * loss / n, $"n={n}");
            Assert.AreEqual(2 * grad / n, actualGrad, 1e-12 * Math.Abs(2 * grad / n) + 1e-15, $"n={n}");
        }
    }
}
