using GdSweeps.Grid;

namespace GdSweeps.Training;

/// <summary>The settings every run of a sweep shares.</summary>
/// <param name="DivergenceThreshold">A run whose loss exceeds this (or is not finite) has diverged.</param>
/// <param name="Tolerance">A run has converged when its distance to the optimum fell below this fraction of where it started.</param>
/// <param name="PerSample">Compute every full-batch step over the samples instead of from the sums.</param>
public sealed record TrainSettings(double DivergenceThreshold = 1e12, double Tolerance = 1e-6, bool PerSample = false);

/// <summary>Trains one run: the loop shared by every optimizer, with clipping, the schedule, the curve and the classification.</summary>
public static class Trainer
{
    /// <summary>Relative distance to the optimum below which a start counts as the optimum itself (round-off).</summary>
    public const double StartAtOptimumTolerance = 1e-9;

    /// <summary>Runs <paramref name="spec"/>; a run that diverges stops there and is a result, never an exception.</summary>
    /// <param name="curveSteps">Sorted steps at which to keep the curve, ending at the budget (see <see cref="CurveSchedule"/>).</param>
    public static RunOutcome Run(RunSpec spec, TrainSettings settings, int[] curveSteps)
    {
        if (spec.Problem is { Parameters: 1, Optimum: not null, HasSums: true } && !settings.PerSample
            && spec.Optimizer.Kind == OptimizerKind.Gd && spec.Init.RandomStd is null)
        {
            return ScalarGd(spec, settings, curveSteps);
        }

        var problem = spec.Problem;
        var p = problem.Parameters;
        var theta = new double[p];
        spec.Init.Fill(theta, problem.Features, spec.Seed);
        var theta0 = (double[])theta.Clone();
        var grad = new double[p];
        var step = new double[p];
        var previous = new double[p];
        var optimizer = new Optimizer(spec.Optimizer, p);
        var star = problem.Optimum;
        var useSums = !settings.PerSample && problem.HasSums;
        var batches = spec.Optimizer.FullBatch ? null : new MiniBatches(problem.Count, spec.Optimizer.BatchSize!.Value, spec.Seed);
        var clip = spec.Clip;
        var threshold = settings.DivergenceThreshold;

        var curve = new CurvePoint[curveSteps.Length];
        int kept = 0, scheduled = 0, clipped = 0, t = 0;
        int? divergedAt = null, convergedAt = null;
        double initialLoss = 0, initialNorm = 0, bestLoss = double.PositiveInfinity, maxNorm = 0, loss, distance = 0;
        double[] initialGradient = [];
        var distance0 = star is null ? 0 : Distance(theta, star);
        while (true)
        {
            loss = useSums ? Objective.FromSums(problem, theta, grad) : Objective.PerSample(problem, theta, grad);
            var norm = Optimizer.Norm(grad);
            distance = star is null ? 0 : Distance(theta, star);
            if (t == 0)
            {
                initialLoss = loss;
                initialNorm = norm;
                initialGradient = (double[])grad.Clone();
            }

            // The schedule ends at the budget, so a diverging step always has a free slot.
            var onSchedule = scheduled < curveSteps.Length && curveSteps[scheduled] == t;
            if (onSchedule || !(loss <= threshold))
            {
                curve[kept++] = new CurvePoint(t, loss, grad[0], norm, theta[0]);
                scheduled += onSchedule ? 1 : 0;
            }

            bestLoss = Math.Min(bestLoss, loss);
            if (convergedAt is null && (star is null ? norm <= settings.Tolerance * initialNorm : distance <= settings.Tolerance * distance0))
            {
                convergedAt = t;
            }

            if (!(loss <= threshold))
            {
                divergedAt = t;
                break;
            }

            if (t == spec.Steps)
            {
                break;
            }

            if (batches is not null)
            {
                Objective.PerSample(problem, theta, step, batches.Next());
            }
            else
            {
                grad.CopyTo(step, 0);
            }

            var stepNorm = batches is null ? norm : Optimizer.Norm(step);
            maxNorm = Math.Max(maxNorm, stepNorm);
            if (clip is not null && Clip(step, stepNorm, clip))
            {
                clipped++;
            }

            SaveDirection(theta, grad, star, previous);
            optimizer.Step(theta, step, spec.LearningRate * spec.Schedule.Factor(t), t + 1);
            t++;
        }

        var status = Classify(divergedAt is not null, star, theta0, theta, previous, grad, initialNorm, distance0, clipped, t, settings.Tolerance);
        return new RunOutcome
        {
            Status = status,
            StepsRun = t,
            DivergedAtStep = divergedAt,
            ConvergedAtStep = status == RunStatus.Converged ? convergedAt : null,
            InitialLoss = initialLoss,
            FinalLoss = loss,
            FinalLossOriginal = divergedAt is null ? Objective.OriginalUnitsLoss(problem, theta) : double.NaN,
            BestLoss = bestLoss,
            InitialGradient = initialGradient,
            MaxGradientNorm = maxNorm,
            ClippedSteps = clipped,
            InitialParameters = theta0,
            FinalParameters = theta,
            DistanceToOptimum = star is null ? null : distance,
            Curve = kept == curve.Length ? curve : curve[..kept],
        };
    }

    /// <summary>
    /// The common case, full-batch GD on one weight from the sums, as a tight loop: the same arithmetic, in the same
    /// order, as the general loop (so the same bits), without its spans, copies and dispatch.
    /// </summary>
    private static RunOutcome ScalarGd(RunSpec spec, TrainSettings settings, int[] curveSteps)
    {
        var problem = spec.Problem;
        var star = problem.Optimum![0];
        var m = problem.Curvature[0];
        var lossStar = problem.QuadraticLossStar;
        var threshold = settings.DivergenceThreshold;
        var constant = spec.Schedule.WarmupSteps is null && spec.Schedule.DecayEvery is null;
        var lr = spec.LearningRate;
        var hasClip = spec.Clip is not null;
        var c = spec.Clip?.Threshold ?? 0;

        var w = spec.Init.Weights![0];
        var w0 = w;
        var distance0 = Math.Abs(w - star);
        var convergedWithin = settings.Tolerance * distance0;
        var curve = new CurvePoint[curveSteps.Length];
        int kept = 0, scheduled = 0, clipped = 0, t = 0;
        int? divergedAt = null, convergedAt = null;
        double bestLoss = double.PositiveInfinity, maxNorm = 0, previous = 0, loss, g, initialLoss = 0, initialGradient = 0;
        while (true)
        {
            var e = w - star;
            g = 2 * m * e;
            loss = lossStar + (m * e * e);
            if (t == 0)
            {
                initialLoss = loss;
                initialGradient = g;
            }

            var onSchedule = scheduled < curveSteps.Length && curveSteps[scheduled] == t;
            if (onSchedule || !(loss <= threshold))
            {
                curve[kept++] = new CurvePoint(t, loss, g, Math.Abs(g), w);
                scheduled += onSchedule ? 1 : 0;
            }

            bestLoss = Math.Min(bestLoss, loss);
            if (convergedAt is null && Math.Abs(e) <= convergedWithin)
            {
                convergedAt = t;
            }

            if (!(loss <= threshold))
            {
                divergedAt = t;
                break;
            }

            if (t == spec.Steps)
            {
                break;
            }

            var norm = Math.Abs(g);
            maxNorm = Math.Max(maxNorm, norm);
            var step = g;
            if (hasClip && norm > c)
            {
                step = Math.CopySign(c, g);
                clipped++;
            }

            previous = e;
            w -= (constant ? lr : lr * spec.Schedule.Factor(t)) * step;
            t++;
        }

        double[] theta = [w];
        var status = Classify(divergedAt is not null, problem.Optimum, [w0], theta, [previous], [g], Math.Abs(initialGradient), distance0, clipped, t, settings.Tolerance);
        return new RunOutcome
        {
            Status = status,
            StepsRun = t,
            DivergedAtStep = divergedAt,
            ConvergedAtStep = status == RunStatus.Converged ? convergedAt : null,
            InitialLoss = initialLoss,
            FinalLoss = loss,
            FinalLossOriginal = divergedAt is null ? Objective.OriginalUnitsLoss(problem, theta) : double.NaN,
            BestLoss = bestLoss,
            InitialGradient = [initialGradient],
            MaxGradientNorm = maxNorm,
            ClippedSteps = clipped,
            InitialParameters = [w0],
            FinalParameters = theta,
            DistanceToOptimum = Math.Abs(w - star),
            Curve = kept == curve.Length ? curve : curve[..kept],
        };
    }

    /// <summary>Clips <paramref name="g"/> in place; true when it changed.</summary>
    private static bool Clip(Span<double> g, double norm, ClipSpec clip)
    {
        var c = clip.Threshold;
        if (clip.Mode == ClipMode.Norm)
        {
            if (!(norm > c))
            {
                return false;
            }

            if (g.Length == 1)
            {
                g[0] = Math.CopySign(c, g[0]); // exactly c, as the rule says, without the round-off of c / |g| * g
                return true;
            }

            var scale = c / norm;
            foreach (ref var v in g)
            {
                v *= scale;
            }

            return true;
        }

        var changed = false;
        foreach (ref var v in g)
        {
            if (Math.Abs(v) > c)
            {
                v = Math.CopySign(c, v);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Keeps the error (or, without an optimum, the gradient) before an update, to tell oscillation at the end.</summary>
    private static void SaveDirection(double[] theta, double[] grad, double[]? star, double[] previous)
    {
        for (var j = 0; j < previous.Length; j++)
        {
            previous[j] = star is null ? grad[j] : theta[j] - star[j];
        }
    }

    internal static RunStatus Classify(
        bool diverged, double[]? star, double[] theta0, double[] theta, double[] previous, double[] grad,
        double initialNorm, double distance0, int clipped, int stepsRun, double tolerance)
    {
        if (diverged)
        {
            return RunStatus.Diverged;
        }

        double now, start, turn = 0;
        if (star is not null)
        {
            start = distance0;
            if (start <= StartAtOptimumTolerance * Math.Max(Norm(star), Norm(theta0)))
            {
                return RunStatus.Uninformative;
            }

            now = Distance(theta, star);
            for (var j = 0; j < theta.Length; j++)
            {
                turn += previous[j] * (theta[j] - star[j]);
            }
        }
        else
        {
            start = initialNorm;
            if (start == 0)
            {
                return RunStatus.Uninformative;
            }

            now = Optimizer.Norm(grad);
            for (var j = 0; j < grad.Length; j++)
            {
                turn += previous[j] * grad[j];
            }
        }

        if (now <= tolerance * start)
        {
            return RunStatus.Converged;
        }

        if (stepsRun > 0 && clipped == stepsRun)
        {
            return RunStatus.ClipBound;
        }

        if (now > start)
        {
            return RunStatus.Diverging;
        }

        return turn < 0 ? RunStatus.Oscillating : RunStatus.Stalled;
    }

    private static double Norm(double[] v) => Optimizer.Norm(v);

    private static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == 1)
        {
            return Math.Abs(a[0] - b[0]);
        }

        double sum = 0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += (a[j] - b[j]) * (a[j] - b[j]);
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Minibatches of a shuffled order, reshuffled every epoch from the run's seed.</summary>
    private sealed class MiniBatches(int samples, int size, int seed)
    {
        private readonly Random random = new(seed);
        private readonly int[] order = Enumerable.Range(0, samples).ToArray();
        private int position = samples;

        public ReadOnlySpan<int> Next()
        {
            if (position >= order.Length)
            {
                random.Shuffle(order);
                position = 0;
            }

            var length = Math.Min(size, order.Length - position);
            var batch = order.AsSpan(position, length);
            position += length;
            return batch;
        }
    }
}
