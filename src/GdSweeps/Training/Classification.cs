using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Plan;

namespace GdSweeps.Training;

/// <summary>How a run ended, as much of it as the classification reads.</summary>
/// <param name="Previous">The error (or, without an optimum, the gradient) before the last update, to tell
/// oscillation.</param>
/// <param name="TailGrew">The model-free sign: the gradient norm grew over the last part of the budget
/// (<see cref="Tail"/>).</param>
internal readonly record struct Ending(
    bool Diverged, int Steps, int Clipped, double[] Theta0, double[] Theta, double[] Previous, double[] Gradient0, double[] Gradient, bool TailGrew)
{
    /// <summary>Updates clipped in the last eighth of the budget.</summary>
    public int CappedLate { get; init; }

    /// <summary>The run first came within the tolerance on a clipped update.</summary>
    public bool LandedCapped { get; init; }

    /// <summary>A judged clipped run's eigen-components over the last two eighths (several directions).</summary>
    public Components? Components { get; init; }

    /// <summary>A judged clipped run's one component over the last two eighths: its largest size in each (one direction).</summary>
    public (double Earlier, double Later) Window { get; init; }
}

/// <summary>Turns how a run ended into its status, by the rules of docs/analysis.md, in their order.</summary>
internal static class Classification
{
    /// <summary>
    /// Whether a component along the Hessian's eigenvectors tells stability: true where every eigen-direction evolves
    /// on its own, as under GD and (Nesterov or heavy-ball) momentum on the quadratic MSE.
    /// </summary>
    /// <remarks>
    /// Clipping by norm scales every direction alike, so it keeps them apart; clipping by value (when it clipped some
    /// step), SGD's minibatches and the adaptive optimizers mix them, and a component of those runs can grow while the
    /// run approaches the optimum.
    /// </remarks>
    public static bool ModesApart(in BuiltinRun spec, bool clippedAny) =>
        spec.Problem.Loss.IsQuadratic
        && spec.Optimizer.Kind is OptimizerKind.Gd or OptimizerKind.Momentum or OptimizerKind.Nesterov
        && (spec.Clip is not { Mode: ClipMode.Value } || !clippedAny || spec.Problem.Parameters == 1);

    public static RunStatus Classify(in BuiltinRun spec, in Ending end, double tolerance)
    {
        if (end.Diverged)
        {
            return RunStatus.Diverged;
        }

        var problem = spec.Problem;
        var star = problem.Optimum;
        var theta = end.Theta;
        double now, start, turn = 0, floor;
        if (star is not null)
        {
            start = Distance(end.Theta0, star);
            floor = Trainer.StartAtOptimumTolerance * Math.Max(Optimizer.Norm(star), Optimizer.Norm(end.Theta0));
            if (start <= floor)
            {
                return RunStatus.Uninformative;
            }

            now = Distance(theta, star);
            for (var j = 0; j < theta.Length; j++)
            {
                turn += end.Previous[j] * (theta[j] - star[j]);
            }
        }
        else
        {
            start = Optimizer.Norm(end.Gradient0);
            if (start == 0)
            {
                return RunStatus.Uninformative;
            }

            floor = Trainer.StartAtOptimumTolerance * start;
            now = Optimizer.Norm(end.Gradient);
            for (var j = 0; j < end.Gradient.Length; j++)
            {
                turn += end.Previous[j] * end.Gradient[j];
            }
        }

        // A clipped run of GD or momentum on MSE, judged by its eigen-components over the last eighth of its budget,
        // whatever its first steps did: near the optimum no step is capped, and there it is plain GD.
        if (spec.Judged)
        {
            if (now <= tolerance * start)
            {
                return end.LandedCapped ? RunStatus.Landed : RunStatus.Converged;
            }

            // A swing needs the run to have arrived: one still capped late that could not yet have crossed from its
            // start (capped steps of lr c, far fewer than the distance needs; a rate so small its steps round to
            // nothing) is on its way, however little its components moved.
            var stuck = end.Components?.Stuck(floor) ?? (end.Window.Later > floor && end.Window.Later >= end.Window.Earlier);
            var arriving = end.CappedLate > 0
                && Theory.StepsToArrive(problem, spec.Clip!, spec.LearningRate, end.Theta0, spec.Optimizer) is { } arrive
                && arrive > spec.Steps - (2 * Components.Width(spec.Steps));
            if (stuck)
            {
                if (end.CappedLate > 0)
                {
                    return arriving ? RunStatus.InTransit : RunStatus.Bounded;
                }

                // No step capped late: plain GD there. A component that grew is an unstable mode not yet at the cap;
                // one that did not move at all is a run whose steps round to nothing.
                var grew = end.Components?.Grew(floor) ?? (end.Window.Later > floor && end.Window.Later > end.Window.Earlier);
                return grew ? RunStatus.Diverging : RunStatus.Stalled;
            }

            // Stable only once its steps are no longer capped: a run still capped in its last eighth may be on its way,
            // or settling into a swing; the budget cannot tell which.
            if (end.CappedLate > 0)
            {
                return RunStatus.InTransit;
            }

            return turn < 0 ? RunStatus.Oscillating : RunStatus.Stalled;
        }

        var clipBound = end.Steps > 0 && end.Clipped == end.Steps;
        var apart = ModesApart(spec, end.Clipped > 0);

        // A growing mode is unstable whatever the total distance did: a start mostly along a slow direction hides a
        // top direction that grows for the whole budget.
        if (apart && ModeGrew(problem, star, end, floor))
        {
            return RunStatus.Diverging;
        }

        if (now <= tolerance * start)
        {
            return RunStatus.Converged;
        }

        // Every update capped, and the rules free of a model cannot tell a run still on its way from one that swings.
        if (clipBound)
        {
            return RunStatus.InTransit;
        }

        if (!apart && (now > start || end.TailGrew))
        {
            return RunStatus.Diverging;
        }

        return turn < 0 ? RunStatus.Oscillating : RunStatus.Stalled;
    }

    /// <summary>
    /// Whether the error's component along some eigenvector of the Hessian ended larger than it started (by more than
    /// the round-off <paramref name="floor"/>). Without an optimum the gradient's components stand in: along an
    /// eigenvector with <c>lambda &gt; 0</c> the gradient's component is <c>lambda</c> times the error's, and along the
    /// null space there is nothing to grow.
    /// </summary>
    private static bool ModeGrew(Problem problem, double[]? star, in Ending end, double floor)
    {
        var p = problem.Parameters;
        if (p == 1)
        {
            // The one eigenvector is the axis itself: the component is the error (the scalar fast path stays scalar).
            return star is null
                ? Math.Abs(end.Gradient[0]) > Math.Abs(end.Gradient0[0]) + floor
                : Math.Abs(end.Theta[0] - star[0]) > Math.Abs(end.Theta0[0] - star[0]) + floor;
        }

        var values = problem.Eigenvalues;
        var vectors = problem.Eigenvectors;
        for (var k = 0; k < p; k++)
        {
            if (!(values[k] > Problem.SingularRatio * values[0]))
            {
                continue;
            }

            double before = 0, after = 0;
            for (var r = 0; r < p; r++)
            {
                var v = vectors[(r * p) + k];
                before += v * (star is null ? end.Gradient0[r] : end.Theta0[r] - star[r]);
                after += v * (star is null ? end.Gradient[r] : end.Theta[r] - star[r]);
            }

            if (Math.Abs(after) > Math.Abs(before) + floor)
            {
                return true;
            }
        }

        return false;
    }

    internal static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
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
}

/// <summary>
/// The model-free sign of instability, for runs whose eigen-directions mix: the full-batch gradient norm at every step
/// of the budget's last eighth above its largest value in the eighth before.
/// </summary>
/// <remarks>
/// The gradient, not the distance: it weighs each direction by its curvature, so the steep direction that goes unstable
/// first dominates it, while the distance is dominated by the slow directions still shrinking. Comparing whole windows,
/// not two steps, keeps a run that hovers (SGD's noise, Adam's or normalized GD's bounded steps around the optimum)
/// from reading as growth; a run moving away passes it at every step.
/// </remarks>
internal struct Tail(int budget)
{
    private readonly int width = Math.Max(1, budget / 8);
    private double earlierMax;
    private double laterMin = double.PositiveInfinity;

    /// <summary>
    /// Grown by more than round-off: a run that neither grows nor shrinks (GD exactly at its bound) drifts by round-off
    /// alone.
    /// </summary>
    public readonly bool Grew => budget >= 1 && laterMin > earlierMax * (1 + Trainer.StartAtOptimumTolerance);

    public void Observe(int t, double size)
    {
        if (t > budget - width)
        {
            laterMin = Math.Min(laterMin, size);
        }
        else if (t > budget - (2 * width))
        {
            earlierMax = Math.Max(earlierMax, size);
        }
    }
}
