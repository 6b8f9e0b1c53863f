using System.Numerics;
using System.Runtime.CompilerServices;
using GdSweeps.Configs;
using GdSweeps.Grid;

namespace GdSweeps.Training;

/// <summary>
/// Trains one run: the loop shared by every optimizer, with clipping, the schedule, the curve and the classification.
/// </summary>
internal static class Trainer
{
    /// <summary>
    /// Relative distance to the optimum below which a start counts as the optimum itself (round-off).
    /// </summary>
    public const double StartAtOptimumTolerance = 1e-9;

    /// <summary>
    /// Steps between checks of the cancellation token at most: a long run stops within milliseconds of Ctrl-C.
    /// </summary>
    private const int CheckEvery = 1 << 14;

    /// <summary>
    /// Work between checks of the token, in multiply-adds (a few milliseconds of one core), so a step over many samples
    /// checks more often.
    /// </summary>
    private const int CheckWork = 1 << 22;

    /// <summary>
    /// Runs <paramref name="spec"/>; a run that diverges stops there and is a result, never an exception.
    /// </summary>
    /// <param name="curveSteps">Sorted steps at which to keep the curve, ending at the budget (see
    /// <see cref="CurveSchedule"/>).</param>
    /// <param name="curve">Where to keep the curve, as long as <paramref name="curveSteps"/> (a slice of a batch's
    /// buffer, so a million runs are not a million arrays); a new array when empty.</param>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled during the run, which is
    /// dropped.</exception>
    public static RunOutcome Run(RunSpec run, TrainSettings settings, int[] curveSteps, ArraySegment<CurvePoint> curve = default, CancellationToken ct = default)
    {
        var spec = new BuiltinRun(run);
        curve = curve.Count >= curveSteps.Length ? curve : new CurvePoint[curveSteps.Length];
        return spec.Problem is { Parameters: 1, Optimum: not null, HasSums: true } && !settings.PerSample
            && spec.Optimizer.Kind == OptimizerKind.Gd && spec.Init.RandomStd is null
                ? ScalarGd(spec, settings, curveSteps, curve, ct)
                : General(spec, settings, curveSteps, curve, ct);
    }

    /// <summary>Any optimizer, loss, kernel and number of parameters.</summary>
    private static RunOutcome General(in BuiltinRun spec, TrainSettings settings, int[] curveSteps, ArraySegment<CurvePoint> curve, CancellationToken ct)
    {
        var problem = spec.Problem;
        var p = problem.Parameters;
        var theta = new double[p];
        spec.Init.Fill(theta, problem.Features, spec.Seed, spec.B0);
        var theta0 = (double[])theta.Clone();
        var grad = new double[p];
        var step = new double[p];
        var previous = new double[p];
        var optimizer = new Optimizer(spec.Optimizer, p);
        var star = problem.Optimum;
        var useSums = !settings.PerSample && problem.HasSums;
        var batches = spec.Optimizer.FullBatch ? null : new MiniBatches(problem.Count, spec.Optimizer.BatchSize!.Value, spec.Seed);
        var track = new Track(curveSteps, settings, curve, spec.Steps);
        var tail = new Tail(spec.Steps);
        var components = spec.Judged ? new Components(problem, spec.Steps) : null;
        var distance0 = star is null ? 0 : Distance(theta, star);
        var perStep = useSums ? p * (p + 4L) : problem.Count * (p + 2L);
        var checkEvery = (int)Math.Min(CheckEvery, BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, CheckWork / perStep)));
        double initialNorm = 0, loss;
        double[] initialGradient = [];
        for (var t = 0; ; t++)
        {
            loss = useSums ? Objective.FromSums(problem, theta, grad) : Objective.PerSample(problem, theta, grad);
            var norm = Optimizer.Norm(grad);
            if (t == 0)
            {
                initialNorm = norm;
                initialGradient = (double[])grad.Clone();
            }

            tail.Observe(t, norm);
            if (components is not null && components.Wants(t))
            {
                SaveDirection(theta, grad, star, step);
                components.Observe(t, step);
            }

            var within = star is null ? norm <= settings.Tolerance * initialNorm : Distance(theta, star) <= settings.Tolerance * distance0;
            if (track.Observe(t, spec.Steps, loss, grad[0], norm, theta[0], within))
            {
                break;
            }

            if ((t & (checkEvery - 1)) == checkEvery - 1)
            {
                ct.ThrowIfCancellationRequested();
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
            track.Clip(stepNorm, spec.Clip is not null && Clip(step, stepNorm, spec.Clip));
            SaveDirection(theta, grad, star, previous);
            optimizer.Step(theta, step, spec.LearningRate * spec.Schedule.Factor(t), t + 1);
        }

        var ending = new Ending(track.Diverged, track.Steps, track.Clipped, theta0, theta, previous, initialGradient, grad, tail.Grew)
        {
            CappedLate = track.ClippedLate,
            LandedCapped = track.LandedCapped,
            Components = components,
        };
        var status = Classification.Classify(spec, ending, settings.Tolerance);
        return track.Outcome(spec, status, loss, initialGradient, theta0, theta, star is null ? null : Distance(theta, star));
    }

    /// <summary>
    /// The common case, full-batch GD on one weight from the sums, as a tight loop: the same arithmetic, in the same
    /// order, as <see cref="General"/> (so the same bits), without its spans, copies and dispatch.
    /// </summary>
    private static RunOutcome ScalarGd(in BuiltinRun spec, TrainSettings settings, int[] curveSteps, ArraySegment<CurvePoint> curve, CancellationToken ct)
    {
        var problem = spec.Problem;
        var star = problem.Optimum![0];
        var m = problem.Curvature[0];
        var lossStar = problem.QuadraticLossStar;
        var constant = spec.Schedule.WarmupSteps is null && spec.Schedule.DecayEvery is null;
        var lr = spec.LearningRate;
        var hasClip = spec.Clip is not null;
        var c = spec.Clip?.Threshold ?? 0;

        // A clipped run's error over the budget's last two eighths (Components, for one direction).
        var width = Math.Max(1, spec.Steps / 8);
        var watchFrom = hasClip ? spec.Steps - (2 * width) : int.MaxValue;
        double earlierMax = 0, laterMax = 0;

        var w = spec.Init.Weights![0];
        var w0 = w;
        var distance0 = Math.Abs(w - star);
        var convergedWithin = settings.Tolerance * distance0;
        var track = new Track(curveSteps, settings, curve, spec.Steps);
        double previous = 0, loss, g, initialGradient = 0;
        for (var t = 0; ; t++)
        {
            var e = w - star;
            g = 2 * m * e;
            loss = lossStar + (m * e * e);
            initialGradient = t == 0 ? g : initialGradient;
            if (t > watchFrom)
            {
                if (t > spec.Steps - width)
                {
                    laterMax = Math.Max(laterMax, Math.Abs(e));
                }
                else
                {
                    earlierMax = Math.Max(earlierMax, Math.Abs(e));
                }
            }

            if (track.Observe(t, spec.Steps, loss, g, Math.Abs(g), w, Math.Abs(e) <= convergedWithin))
            {
                break;
            }

            if ((t & (CheckEvery - 1)) == CheckEvery - 1)
            {
                ct.ThrowIfCancellationRequested();
            }

            var norm = Math.Abs(g);
            var step = g;
            var clipped = hasClip && norm > c;
            if (clipped)
            {
                step = Math.CopySign(c, g);
            }

            track.Clip(norm, clipped);
            previous = e;
            w -= (constant ? lr : lr * spec.Schedule.Factor(t)) * step;
        }

        double[] theta = [w];

        // Scalar GD's one mode is classified by its own growth, so the model-free tail is never read here.
        var ending = new Ending(track.Diverged, track.Steps, track.Clipped, [w0], theta, [previous], [initialGradient], [g], TailGrew: false)
        {
            CappedLate = track.ClippedLate,
            LandedCapped = track.LandedCapped,
            Window = (earlierMax, laterMax),
        };
        var status = Classification.Classify(spec, ending, settings.Tolerance);
        return track.Outcome(spec, status, loss, [initialGradient], [w0], theta, Math.Abs(w - star));
    }

    /// <summary>What every loop keeps track of, and how a run's outcome is built from it.</summary>
    private struct Track(int[] curveSteps, TrainSettings settings, ArraySegment<CurvePoint> curve, int budget)
    {
        private int kept;
        private int scheduled;
        private int? convergedAt;

        /// <summary>The last update was clipped.</summary>
        public bool LastClipped { get; private set; }

        /// <summary>Updates clipped in the last eighth of the budget.</summary>
        public int ClippedLate { get; private set; }

        /// <summary>The run first came within the tolerance on a clipped update: it landed there by a capped step.</summary>
        public bool LandedCapped { get; private set; }

        public int? DivergedAt { get; private set; }

        public readonly bool Diverged => DivergedAt is not null;

        public int Steps { get; private set; }

        public int Clipped { get; private set; }

        public double InitialLoss { get; private set; }

        public double BestLoss { get; private set; } = double.PositiveInfinity;

        public double MaxNorm { get; private set; }

        /// <summary>
        /// Records the state before update <paramref name="t"/>; true when the run stops here (diverged, or the budget
        /// is spent).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Observe(int t, int budget, double loss, double gradient, double norm, double w, bool withinTolerance)
        {
            Steps = t;
            InitialLoss = t == 0 ? loss : InitialLoss;

            // The schedule ends at the budget, so a diverging step always has a free slot.
            var onSchedule = scheduled < curveSteps.Length && curveSteps[scheduled] == t;
            if (onSchedule || !(loss <= settings.DivergenceThreshold))
            {
                curve[kept++] = new CurvePoint(t, loss, gradient, norm, w);
                scheduled += onSchedule ? 1 : 0;
            }

            BestLoss = Math.Min(BestLoss, loss);
            if (convergedAt is null && withinTolerance)
            {
                convergedAt = t;
                LandedCapped = t > 0 && LastClipped;
            }

            if (!(loss <= settings.DivergenceThreshold))
            {
                DivergedAt = t;
                return true;
            }

            return t == budget;
        }

        /// <summary>
        /// Records the norm of the gradient an update is about to use, and whether clipping changed it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Clip(double norm, bool clipped)
        {
            MaxNorm = Math.Max(MaxNorm, norm);
            Clipped += clipped ? 1 : 0;
            LastClipped = clipped;
            ClippedLate += clipped && Steps >= budget - Math.Max(1, budget / 8) ? 1 : 0;
        }

        public readonly RunOutcome Outcome(
            in BuiltinRun spec, RunStatus status, double finalLoss, double[] initialGradient, double[] theta0, double[] theta, double? distance) => new()
            {
                Status = status,
                StepsRun = Steps,
                DivergedAtStep = DivergedAt,
                ConvergedAtStep = status == RunStatus.Converged ? convergedAt : null,
                InitialLoss = InitialLoss,
                FinalLoss = finalLoss,
                FinalLossOriginal = DivergedAt is null ? Objective.OriginalUnitsLoss(spec.Problem, theta) : double.NaN,
                BestLoss = BestLoss,
                InitialGradient = initialGradient,
                InitialGradientNorm = Optimizer.Norm(initialGradient),
                MaxGradientNorm = MaxNorm,
                LrCrit = spec.Bound,
                ClippedSteps = Clipped,
                InitialParameters = theta0,
                FinalParameters = theta,
                DistanceToOptimum = distance,
                Curve = curve[..kept],
                PredictedSteps = spec.Clip is null && spec.Schedule.WarmupSteps is null && spec.Schedule.DecayEvery is null
                    ? Theory.StepsToConverge(spec.Problem, spec.Optimizer, spec.LearningRate, theta0, settings.Tolerance)
                    : null,
                FastestRate = spec.Optimizer.Kind == OptimizerKind.Gd ? Theory.FastestRate(spec.Problem) : null,
                FastestSteps = spec.Optimizer.Kind == OptimizerKind.Gd && Theory.FastestRate(spec.Problem) is { } fastest
                    ? Theory.StepsToConverge(spec.Problem, spec.Optimizer, fastest, theta0, settings.Tolerance)
                    : null,
                StepsToArrive = spec.Judged ? Theory.StepsToArrive(spec.Problem, spec.Clip!, spec.LearningRate, theta0, spec.Optimizer) : null,
                LrFinite = spec.Judged ? Theory.FiniteRate(spec.Problem, spec.Clip!, settings.DivergenceThreshold) : null,
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

    /// <summary>
    /// Keeps the error (or, without an optimum, the gradient) before an update, to tell oscillation at the end.
    /// </summary>
    private static void SaveDirection(double[] theta, double[] grad, double[]? star, double[] previous)
    {
        for (var j = 0; j < previous.Length; j++)
        {
            previous[j] = star is null ? grad[j] : theta[j] - star[j];
        }
    }

    private static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Classification.Distance(a, b);

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
