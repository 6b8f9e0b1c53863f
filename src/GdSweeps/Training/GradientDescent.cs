using GdSweeps.Configs;

namespace GdSweeps.Training;

/// <summary>Full-batch gradient descent on <c>y = w*x</c> with MSE and optional clipping by norm.</summary>
public static class GradientDescent
{
    /// <summary>Trains from <paramref name="w0"/>; a run that diverges stops there and is a result, never an exception.</summary>
    /// <param name="curveSteps">Sorted steps at which to keep the curve (see <see cref="CurveSchedule"/>).</param>
    public static RunOutcome Run(
        LinearProblem problem, double w0, double lr, double? clip, int steps, SweepConfig settings, int[] curveSteps)
    {
        var perSample = settings.Kernel == KernelMode.PerSample;
        var threshold = settings.DivergenceThreshold;
        var curve = new CurvePoint[curveSteps.Length];
        int kept = 0, scheduled = 0;

        var w = w0;
        double initialLoss = 0, initialGradient = 0, bestLoss = double.PositiveInfinity, maxGradient = 0;
        var clipped = 0;
        int? divergedAt = null, convergedAt = null;
        var convergedWithin = settings.Tolerance * Math.Abs(w0 - problem.WStar);
        var t = 0;
        double loss, g;
        while (true)
        {
            loss = perSample ? LinearMse.LossAndGradient(problem.X, problem.Y, w, out g) : LinearMse.LossAndGradient(problem, w, out g);
            if (t == 0)
            {
                initialLoss = loss;
                initialGradient = g;
            }

            // The schedule ends at the budget, so a diverging step always has a free slot.
            var onSchedule = scheduled < curveSteps.Length && curveSteps[scheduled] == t;
            if (onSchedule || !(loss <= threshold))
            {
                curve[kept++] = new CurvePoint(t, loss, g, w);
                scheduled += onSchedule ? 1 : 0;
            }

            bestLoss = Math.Min(bestLoss, loss);
            if (convergedAt is null && Math.Abs(w - problem.WStar) <= convergedWithin)
            {
                convergedAt = t;
            }

            if (!(loss <= threshold))
            {
                divergedAt = t;
                break;
            }

            if (t == steps)
            {
                break;
            }

            var norm = Math.Abs(g);
            maxGradient = Math.Max(maxGradient, norm);
            if (clip is { } c && norm > c)
            {
                g = Math.CopySign(c, g);
                clipped++;
            }

            w -= lr * g;
            t++;
        }

        var status = Classify(problem, w0, w, divergedAt is not null, settings.Tolerance);
        return new RunOutcome
        {
            Status = status,
            ConvergedAtStep = status == RunStatus.Converged ? convergedAt : null,
            StepsRun = t,
            DivergedAtStep = divergedAt,
            InitialLoss = initialLoss,
            FinalLoss = loss,
            BestLoss = bestLoss,
            InitialGradient = initialGradient,
            MaxGradientNorm = maxGradient,
            ClippedSteps = clipped,
            FinalW = w,
            Curve = kept == curve.Length ? curve : curve[..kept],
        };
    }

    /// <summary>Relative distance to the optimum below which a start counts as the optimum itself (round-off).</summary>
    public const double StartAtOptimumTolerance = 1e-9;

    internal static RunStatus Classify(LinearProblem problem, double w0, double w, bool diverged, double tolerance)
    {
        if (diverged)
        {
            return RunStatus.Diverged;
        }

        var e0 = Math.Abs(w0 - problem.WStar);
        if (e0 <= StartAtOptimumTolerance * Math.Max(Math.Abs(problem.WStar), Math.Abs(w0)))
        {
            return RunStatus.Uninformative;
        }

        return Math.Abs(w - problem.WStar) <= tolerance * e0 ? RunStatus.Converged : RunStatus.Stable;
    }
}
