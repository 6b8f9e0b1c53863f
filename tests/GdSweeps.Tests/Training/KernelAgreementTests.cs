using GdSweeps.Data;
using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Training;

/// <summary>The O(p^2) kernel from sums and the per-sample kernel compute the same math.</summary>
[TestClass]
public sealed class KernelAgreementTests
{
    [TestMethod]
    public void Both_kernels_agree_to_1e_9_relative_on_random_problems()
    {
        var random = new Random(20261128);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(3, 3000);
            var d = random.Next(1, 4);
            var scale = Math.Pow(10, random.Next(-3, 5));
            var x = new double[n * d];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    x[(i * d) + j] = (random.NextDouble() - 0.3) * scale * (j + 1);
                    y[i] += ((j % 2) - 0.7) * x[(i * d) + j];
                }

                y[i] += random.NextDouble() - 0.5;
            }

            var model = trial % 2 == 0 ? ModelKind.Linear : ModelKind.Affine;
            var p = Some.Problem(new Dataset("r", x, d, y), model);
            var theta = Enumerable.Range(0, p.Parameters).Select(_ => ((random.NextDouble() * 2) - 1) * 10).ToArray();
            var fastGrad = new double[p.Parameters];
            var slowGrad = new double[p.Parameters];

            var fast = Objective.FromSums(p, theta, fastGrad);
            var slow = Objective.PerSample(p, theta, slowGrad);

            Assert.AreEqual(slow, fast, 1e-9 * Math.Abs(slow), $"loss, trial {trial}, n={n}, d={d}, {model}");
            var norm = Optimizer.Norm(slowGrad);
            for (var j = 0; j < p.Parameters; j++)
            {
                Assert.AreEqual(slowGrad[j], fastGrad[j], 1e-9 * norm, $"gradient {j}, trial {trial}, n={n}, d={d}, {model}");
            }
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
            Assert.AreEqual(2 * grad / n, actualGrad, (1e-12 * Math.Abs(2 * grad / n)) + 1e-15, $"n={n}");
        }
    }
}
