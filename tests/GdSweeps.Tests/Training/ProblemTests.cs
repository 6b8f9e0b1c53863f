using GdSweeps.Data;
using GdSweeps.Tests.Support;
using GdSweeps.Numerics;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Tests.Training;

[TestClass]
public sealed class ProblemTests
{
    [TestMethod]
    public void The_eigen_solver_finds_the_closed_form_spectrum_of_a_2x2()
    {
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);

        Assert.AreEqual(3.0, values[0], 1e-15);
        Assert.AreEqual(1.0, values[1], 1e-15);
        Assert.AreEqual(Math.Abs(vectors[0]), Math.Abs(vectors[2]), 1e-15); // (1, 1)/sqrt(2)
    }

    [TestMethod]
    public void The_eigen_solver_finds_4_and_4_plus_minus_sqrt2_for_the_tridiagonal_3x3()
    {
        var (values, vectors) = SymmetricEigen.Decompose([4, 1, 0, 1, 4, 1, 0, 1, 4], 3);

        Assert.AreEqual(4 + Math.Sqrt(2), values[0], 1e-14);
        Assert.AreEqual(4, values[1], 1e-14);
        Assert.AreEqual(4 - Math.Sqrt(2), values[2], 1e-14);
        for (var k = 0; k < 3; k++)
        {
            // A v = lambda v for each column v
            for (var r = 0; r < 3; r++)
            {
                var av = (4 * vectors[(r * 3) + k]) + (r > 0 ? vectors[((r - 1) * 3) + k] : 0) + (r < 2 ? vectors[((r + 1) * 3) + k] : 0);
                Assert.AreEqual(values[k] * vectors[(r * 3) + k], av, 1e-13);
            }
        }
    }

    [TestMethod]
    public void The_eigen_solver_keeps_a_diagonal_matrix()
    {
        var (values, _) = SymmetricEigen.Decompose([1, 0, 0, 0, 9, 0, 0, 0, 4], 3);

        CollectionAssert.AreEqual(new[] { 9.0, 4.0, 1.0 }, values);
    }

    [TestMethod]
    public void An_affine_model_recovers_an_exact_plane_from_the_normal_equations()
    {
        // y = 3 x1 - 2 x2 + 5
        double[] x = [1, 2, 2, 1, 3, 5, 4, 4, 0, 7];
        var y = Enumerable.Range(0, 5).Select(i => (3 * x[2 * i]) - (2 * x[(2 * i) + 1]) + 5).ToArray();
        var p = Some.Problem(new Dataset("plane", x, 2, y), ModelKind.Affine);

        Assert.AreEqual(3, p.Parameters);
        Assert.AreEqual(3.0, p.Optimum![0], 1e-12);
        Assert.AreEqual(-2.0, p.Optimum[1], 1e-12);
        Assert.AreEqual(5.0, p.Optimum[2], 1e-12);
        Assert.AreEqual(0.0, p.LossStar!.Value, 1e-20);
    }

    [TestMethod]
    public void The_hessian_of_an_affine_model_includes_the_column_of_ones()
    {
        // Z = [[1, 1], [3, 1]]: Z^T Z = [[10, 4], [4, 2]]; H = (2/2) Z^T Z; eigenvalues 6 +- sqrt(32)
        var p = Some.Problem(new Dataset("d", [1, 3], [0, 0]), ModelKind.Affine);

        Assert.AreEqual(6 + Math.Sqrt(32), p.LambdaMax!.Value, 1e-13);
        Assert.AreEqual(6 - Math.Sqrt(32), p.LambdaMin!.Value, 1e-13);
        Assert.AreEqual((6 + Math.Sqrt(32)) / (6 - Math.Sqrt(32)), p.ConditionNumber!.Value, 1e-9);
        Assert.AreEqual(2 / (6 + Math.Sqrt(32)), p.LrCritGd!.Value, 1e-15);
    }

    [TestMethod]
    public void Standardizing_features_of_very_different_scales_brings_the_condition_number_to_1()
    {
        // Two uncorrelated features, one 1000 times the other in scale.
        double[] x = [1, 1000, -1, 1000, 1, -1000, -1, -1000];
        var y = new double[] { 1, 2, 3, 4 };
        var raw = Some.Problem(new Dataset("s", x, 2, y));
        var standardized = Some.Problem(new Dataset("s", x, 2, y), ModelKind.Linear, null, TransformKind.Standardize);

        Assert.AreEqual(1e6, raw.ConditionNumber!.Value, 1e-6);
        Assert.AreEqual(1.0, standardized.ConditionNumber!.Value, 1e-12);
    }

    [TestMethod]
    public void Huber_loss_is_quadratic_within_delta_and_linear_beyond_as_pytorch_computes_it()
    {
        // residuals at w = 0 are -0.5 and -3 (x = [1, 1], y = [0.5, 3]); delta = 1:
        // rho = 0.5 * 0.25 = 0.125 and 1 * (3 - 0.5) = 2.5; mean 1.3125; psi = -0.5 and -1; gradient mean = -0.75
        var p = Some.Problem(new Dataset("h", [1, 1], [0.5, 3]), ModelKind.Linear, new LossSpec(LossKind.Huber, 1));
        var gradient = new double[1];

        var loss = Objective.PerSample(p, [0.0], gradient);

        Assert.AreEqual(1.3125, loss, 1e-15);
        Assert.AreEqual(-0.75, gradient[0], 1e-15);
        Assert.IsNull(p.LrCritGd);
        Assert.IsNull(p.LossStar);
        Assert.IsFalse(p.HasSums);
    }

    [TestMethod]
    public void A_huber_run_converges_by_the_gradient_rule_without_a_closed_form()
    {
        var p = Some.Problem(new Dataset("h", [1, 2, 3], [2, 4.1, 5.9]), ModelKind.Linear, new LossSpec(LossKind.Huber, 1));

        var outcome = Some.Train(Some.Run(p, lr: 0.1, steps: 2000));

        Assert.AreEqual(RunStatus.Converged, outcome.Status);
        Assert.IsNull(outcome.DistanceToOptimum);
    }
}
