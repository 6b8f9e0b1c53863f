using GdSweeps.Configs;
using GdSweeps.Plan;

namespace GdSweeps.Training;

/// <summary>
/// The loss of a problem at given parameters and its gradient: over the samples, or from the sums for MSE.
/// </summary>
/// <remarks>Pure and allocation-free: the inner loops of every run.</remarks>
internal static class Objective
{
    /// <summary>Loss and gradient over samples <paramref name="rows"/> (all samples when null).</summary>
    public static double PerSample(Problem problem, ReadOnlySpan<double> theta, Span<double> gradient, ReadOnlySpan<int> rows = default)
    {
        var p = problem.Parameters;
        if (p == 1 && rows.IsEmpty && problem.Loss.Kind == LossKind.Mse)
        {
            var loss = LinearMse.LossAndGradient(problem.Z, problem.Y, theta[0], out var g);
            gradient[0] = g;
            return loss;
        }

        var z = problem.Z;
        var y = problem.Y;
        var huber = problem.Loss.Kind == LossKind.Huber;
        var delta = problem.Loss.Delta;
        var count = rows.IsEmpty ? problem.Count : rows.Length;
        gradient.Clear();
        double total = 0;
        for (var k = 0; k < count; k++)
        {
            var i = rows.IsEmpty ? k : rows[k];
            var row = z.AsSpan(i * p, p);
            double prediction = 0;
            for (var j = 0; j < p; j++)
            {
                prediction += row[j] * theta[j];
            }

            var r = prediction - y[i];
            double slope;
            if (!huber)
            {
                total += r * r;
                slope = 2 * r;
            }
            else if (Math.Abs(r) <= delta)
            {
                total += 0.5 * r * r;
                slope = r;
            }
            else
            {
                total += delta * (Math.Abs(r) - (0.5 * delta));
                slope = delta * Math.Sign(r);
            }

            for (var j = 0; j < p; j++)
            {
                gradient[j] += slope * row[j];
            }
        }

        for (var j = 0; j < p; j++)
        {
            gradient[j] /= count;
        }

        return total / count;
    }

    /// <summary>The full-batch MSE and its gradient from the sums, in O(p^2): exact math, whatever n is.</summary>
    /// <remarks>
    /// With an optimum, <c>L = L* + e^T (A/n) e</c> and <c>g = 2 (A/n) e</c> for <c>e = theta - theta*</c>: never below
    /// <c>L*</c>, unlike <c>(theta^T A theta - 2 theta^T b + y^T y)/n</c>, which cancels near the optimum.
    /// </remarks>
    public static double FromSums(Problem problem, ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var p = problem.Parameters;
        var m = problem.Curvature;
        var star = problem.ThetaStar;
        if (star is not null)
        {
            if (p == 1)
            {
                var e = theta[0] - star[0];
                gradient[0] = 2 * m[0] * e;
                return problem.QuadraticLossStar + (m[0] * e * e);
            }

            Span<double> error = stackalloc double[p];
            for (var j = 0; j < p; j++)
            {
                error[j] = theta[j] - star[j];
            }

            double quadratic = 0;
            for (var j = 0; j < p; j++)
            {
                double me = 0;
                for (var k = 0; k < p; k++)
                {
                    me += m[(j * p) + k] * error[k];
                }

                gradient[j] = 2 * me;
                quadratic += error[j] * me;
            }

            return problem.QuadraticLossStar + quadratic;
        }

        var n = problem.Count;
        double loss = problem.C;
        for (var j = 0; j < p; j++)
        {
            double at = 0;
            for (var k = 0; k < p; k++)
            {
                at += problem.A[(j * p) + k] * theta[k];
            }

            gradient[j] = 2 * (at - problem.B[j]) / n;
            loss += (theta[j] * at) - (2 * theta[j] * problem.B[j]);
        }

        return Math.Max(loss / n, 0);
    }

    /// <summary>
    /// The loss with predictions mapped back through the target's inverse transform, against the raw targets.
    /// </summary>
    public static double OriginalUnitsLoss(Problem problem, ReadOnlySpan<double> theta)
    {
        var p = problem.Parameters;
        var raw = problem.Dataset.Y;
        var delta = problem.Loss.Delta;
        double total = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            double prediction = 0;
            for (var j = 0; j < p; j++)
            {
                prediction += problem.Z[(i * p) + j] * theta[j];
            }

            var r = problem.YFit.Inverse(prediction) - raw[i];
            total += problem.Loss.Kind == LossKind.Mse || Math.Abs(r) <= delta
                ? (problem.Loss.Kind == LossKind.Mse ? r * r : 0.5 * r * r)
                : delta * (Math.Abs(r) - (0.5 * delta));
        }

        return total / raw.Length;
    }
}
