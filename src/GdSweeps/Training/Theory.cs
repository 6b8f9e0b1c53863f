using GdSweeps.Configs;
using GdSweeps.Plan;

namespace GdSweeps.Training;

/// <summary>
/// What theory predicts of a run of GD or momentum on MSE from its start: the steps it needs to come within the
/// tolerance, direction by direction of the Hessian (docs/analysis.md, "Speed"), and the rate of fastest worst-case
/// contraction. Pure functions of the problem, the optimizer, the rate and the start.
/// </summary>
internal static class Theory
{
    /// <summary>Steps at most that a momentum run's recurrence is iterated; past them the slowest direction's rate extrapolates.</summary>
    private const long IterateAtMost = 1 << 20;

    /// <summary>
    /// The first step <c>t</c> at which the error is within <paramref name="tolerance"/> of where it started:
    /// for GD the first <c>t</c> with <c>sum_k c_k^2 (1 - lr lambda_k)^(2t) &lt;= tol^2 |e_0|^2</c> over every
    /// direction of the Hessian (<c>c_k</c> the start's component along it); for heavy-ball and Nesterov momentum each
    /// direction's 2x2 recurrence iterated. Null where no theory gives it (another optimizer, a loss not quadratic, no
    /// optimum) or the run never converges at this rate (some direction does not shrink).
    /// </summary>
    public static long? StepsToConverge(Problem problem, OptimizerSpec optimizer, double lr, ReadOnlySpan<double> theta0, double tolerance)
    {
        if (problem.Optimum is not { } star || !problem.Loss.IsQuadratic || !optimizer.FullBatch
            || optimizer.Kind is not (OptimizerKind.Gd or OptimizerKind.Momentum or OptimizerKind.Nesterov))
        {
            return null;
        }

        if (problem.Parameters == 1 && optimizer.Kind == OptimizerKind.Gd)
        {
            return GdSteps(problem.Eigenvalues[0], theta0[0] - star[0], lr, tolerance);
        }

        var c = Components(problem, theta0, star);
        double total = 0;
        foreach (var ck in c)
        {
            total += ck * ck;
        }

        if (total == 0)
        {
            return 0;
        }

        var target = tolerance * tolerance * total;
        return optimizer.Kind == OptimizerKind.Gd
            ? GdSteps(problem.Eigenvalues, c, lr, target)
            : MomentumSteps(problem.Eigenvalues, c, lr, optimizer.Beta!.Value, optimizer.Kind == OptimizerKind.Nesterov, target);
    }

    /// <summary>GD's rate of the best worst-case contraction, <c>2/(lambda_max + lambda_min)</c>; null where the loss is not quadratic.</summary>
    public static double? FastestRate(Problem problem) =>
        problem.Loss.IsQuadratic && problem.HessianMax > 0 ? 2 / (problem.HessianMax + problem.HessianMin) : null;

    /// <summary>
    /// A clipped run's capped steps to cross from its start to the optimum: each moves it <c>lr c</c> (by norm, along
    /// the gradient; by value, every component), so about <c>distance / (lr c)</c> (by value, the largest component's).
    /// Momentum's capped steps add up to at most <c>lr c / (1 - beta)</c> a step, so it arrives in <c>(1 - beta)</c>
    /// times that at the fastest. Null without an optimum. Never fewer steps than the run needs: a run that took fewer
    /// than these cannot have arrived. Past what a count holds it saturates at <see cref="long.MaxValue"/>.
    /// </summary>
    public static long? StepsToArrive(Problem problem, ClipSpec clip, double lr, ReadOnlySpan<double> theta0, OptimizerSpec optimizer)
    {
        if (problem.Optimum is not { } star)
        {
            return null;
        }

        double distance = 0, largest = 0;
        for (var j = 0; j < star.Length; j++)
        {
            var d = theta0[j] - star[j];
            distance += d * d;
            largest = Math.Max(largest, Math.Abs(d));
        }

        var speed = lr * clip.Threshold / (optimizer.Kind is OptimizerKind.Momentum or OptimizerKind.Nesterov ? 1 - optimizer.Beta!.Value : 1);
        var steps = Math.Ceiling((clip.Mode == ClipMode.Norm ? Math.Sqrt(distance) : largest) / speed);
        return steps < long.MaxValue / 2 ? (long)steps : long.MaxValue; // more than any budget: saturated, never a wrap
    }

    /// <summary>
    /// The rate above which a clipped run's swing crosses the divergence threshold <paramref name="threshold"/>: past
    /// the bound each capped step has length <c>lr c</c>, so the error swings by about that along the top direction and
    /// the loss reaches <c>L* + (lambda_max/2) (lr c)^2</c>: <c>sqrt(2 (T - L*) / lambda_max) / c</c>. For a norm clip, or a
    /// value clip of one parameter; null otherwise.
    /// </summary>
    public static double? FiniteRate(Problem problem, ClipSpec clip, double threshold)
    {
        if (problem.LossStar is not { } lossStar || (clip.Mode == ClipMode.Value && problem.Parameters > 1) || threshold <= lossStar)
        {
            return null;
        }

        return Math.Sqrt(2 * (threshold - lossStar) / problem.HessianMax) / clip.Threshold;
    }

    /// <summary>The start's component along each eigenvector of the Hessian.</summary>
    private static double[] Components(Problem problem, ReadOnlySpan<double> theta0, double[] star)
    {
        var p = problem.Parameters;
        var c = new double[p];
        if (p == 1)
        {
            c[0] = theta0[0] - star[0];
            return c;
        }

        var vectors = problem.Eigenvectors;
        for (var k = 0; k < p; k++)
        {
            for (var r = 0; r < p; r++)
            {
                c[k] += vectors[(r * p) + k] * (theta0[r] - star[r]);
            }
        }

        return c;
    }

    /// <summary>
    /// GD of one parameter, without allocating (the million asks it of every run): the rule of the general case,
    /// <c>c^2 q^(2t) &lt;= tol^2 c^2</c> in logs, solved and checked on either side.
    /// </summary>
    private static long? GdSteps(double lambda, double c, double lr, double tolerance)
    {
        if (c == 0)
        {
            return 0;
        }

        var q = Math.Abs(1 - (lr * lambda));
        if (q >= 1)
        {
            return null;
        }

        if (q == 0)
        {
            return 1;
        }

        var (logQ, logA) = (Math.Log(q), 2 * Math.Log(Math.Abs(c)));
        // In logs where the product underflows (a start a hair from the optimum): its log would be -inf, and no step within it.
        var target = tolerance * tolerance * c * c;
        var logTarget = target > 0 ? Math.Log(target) : (2 * Math.Log(tolerance)) + logA;
        bool Within(long t) => logA + (2 * (double)t * logQ) <= logTarget;
        var guess = (long)Math.Max(0, Math.Ceiling((logTarget - logA) / (2 * logQ)));
        while (guess > 0 && Within(guess - 1))
        {
            guess--;
        }

        while (!Within(guess))
        {
            guess++;
        }

        return guess;
    }

    /// <summary>GD: the error along direction k is <c>c_k q_k^t</c>, <c>q_k = |1 - lr lambda_k|</c>; the sum of squares falls monotonically.</summary>
    private static long? GdSteps(double[] lambda, double[] c, double lr, double target)
    {
        var logQ = new double[c.Length];
        var logA = new double[c.Length];
        for (var k = 0; k < c.Length; k++)
        {
            var q = Math.Abs(1 - (lr * lambda[k]));
            if (c[k] != 0 && q >= 1)
            {
                return null;
            }

            logQ[k] = Math.Log(q);
            logA[k] = c[k] == 0 ? double.NegativeInfinity : 2 * Math.Log(Math.Abs(c[k]));
        }

        var logTarget = Math.Log(target);
        bool Within(double t)
        {
            // log of sum_k c_k^2 q_k^(2t), summed from its largest term
            var max = double.NegativeInfinity;
            for (var k = 0; k < c.Length; k++)
            {
                max = Math.Max(max, logA[k] + (logQ[k] == double.NegativeInfinity ? (t == 0 ? 0 : double.NegativeInfinity) : 2 * t * logQ[k]));
            }

            if (max == double.NegativeInfinity)
            {
                return true;
            }

            double sum = 0;
            for (var k = 0; k < c.Length; k++)
            {
                var term = logA[k] + (logQ[k] == double.NegativeInfinity ? (t == 0 ? 0 : double.NegativeInfinity) : 2 * t * logQ[k]);
                sum += Math.Exp(term - max);
            }

            return max + Math.Log(sum) <= logTarget;
        }

        if (c.Length == 1)
        {
            // One direction: q^t <= tol, t = ceil(log tol / log q), checked by the same rule on either side.
            if (logQ[0] == double.NegativeInfinity)
            {
                return 1;
            }

            var guess = (long)Math.Max(0, Math.Ceiling((logTarget - logA[0]) / (2 * logQ[0])));
            while (guess > 0 && Within(guess - 1))
            {
                guess--;
            }

            while (!Within(guess))
            {
                guess++;
            }

            return guess;
        }

        long hi = 1;
        while (!Within(hi))
        {
            if (hi > long.MaxValue / 4)
            {
                return null;
            }

            hi *= 2;
        }

        long lo = hi / 2;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Within(mid))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>
    /// Momentum, direction by direction, as torch.optim.SGD computes it: <c>buf = beta buf + lambda e</c> (the first
    /// <c>buf</c> the gradient itself), then <c>e -= lr buf</c> (heavy-ball) or <c>e -= lr (lambda e + beta buf)</c>
    /// (Nesterov). Its error turns, so the steps are counted one by one; past <see cref="IterateAtMost"/> the slowest
    /// direction's spectral radius extrapolates the rest.
    /// </summary>
    private static long? MomentumSteps(double[] lambda, double[] c, double lr, double beta, bool nesterov, double target)
    {
        var p = c.Length;
        var e = (double[])c.Clone();
        var buf = new double[p];
        double radius = 0;
        for (var k = 0; k < p; k++)
        {
            var rho = SpectralRadius(lambda[k], lr, beta, nesterov);
            if (c[k] != 0 && rho >= 1)
            {
                return null;
            }

            radius = c[k] == 0 ? radius : Math.Max(radius, rho);
        }

        for (long t = 0; t <= IterateAtMost; t++)
        {
            double sum = 0;
            for (var k = 0; k < p; k++)
            {
                sum += e[k] * e[k];
            }

            if (sum <= target)
            {
                return t;
            }

            if (t == IterateAtMost)
            {
                // Far out every direction shrinks by its radius a step; the slowest sets the pace.
                return t + (long)Math.Ceiling(Math.Log(target / sum) / (2 * Math.Log(radius)));
            }

            for (var k = 0; k < p; k++)
            {
                buf[k] = (beta * buf[k]) + (lambda[k] * e[k]);
                e[k] -= lr * (nesterov ? (lambda[k] * e[k]) + (beta * buf[k]) : buf[k]);
            }
        }

        return null;
    }

    /// <summary>The spectral radius of one direction's momentum recurrence: below 1 it converges.</summary>
    private static double SpectralRadius(double lambda, double lr, double beta, bool nesterov)
    {
        // State (e, buf): buf' = beta buf + lambda e; e' = e - lr buf' (heavy-ball) or e - lr (lambda e + beta buf').
        var h = lr * lambda;
        double a, b, cc, d;
        if (nesterov)
        {
            (a, b) = (1 - h - (beta * h), -lr * beta * beta);
        }
        else
        {
            (a, b) = (1 - h, -lr * beta);
        }

        (cc, d) = (lambda, beta);
        var trace = a + d;
        var det = (a * d) - (b * cc);
        var disc = (trace * trace) - (4 * det);
        if (disc >= 0)
        {
            var root = Math.Sqrt(disc);
            return Math.Max(Math.Abs((trace + root) / 2), Math.Abs((trace - root) / 2));
        }

        return Math.Sqrt(det);
    }
}
