namespace GdSweeps.Training;

/// <summary>
/// The model-free rules for a run seen only through the curve it reported (a command trainer's): no parameters, no
/// optimum, no Hessian, so what the loss and the gradient norm did is all there is to read (docs/analysis.md).
/// </summary>
internal static class CurveClassification
{
    /// <summary>
    /// The status of a finite run that reported <paramref name="losses"/> (and <paramref name="gradNorms"/>, NaN where
    /// not
    /// reported) at <paramref name="steps"/>, strictly increasing from 0; and the first step within the tolerance.
    /// </summary>
    /// <remarks>
    /// Converged is measured by the gradient norm when the first and last lines report it (the loss of a model that
    /// cannot fit its data exactly never falls a millionfold), else by the loss. Moving away is measured by the loss
    /// alone: at the edge of stability the gradient norm of a net that still learns can end above where it started.
    /// </remarks>
    public static (RunStatus Status, int? ConvergedAt) Classify(IReadOnlyList<int> steps, IReadOnlyList<double> losses, IReadOnlyList<double> gradNorms, double tolerance)
    {
        var last = steps.Count - 1;
        var byGradient = !double.IsNaN(gradNorms[0]) && !double.IsNaN(gradNorms[last]);
        var measure = byGradient ? gradNorms : losses;
        var start = measure[0];
        if (!(start > 0))
        {
            return (RunStatus.Uninformative, null);
        }

        int? convergedAt = null;
        for (var i = 0; i <= last && convergedAt is null; i++)
        {
            convergedAt = measure[i] <= tolerance * start ? steps[i] : null;
        }

        if (measure[last] <= tolerance * start)
        {
            return (RunStatus.Converged, convergedAt);
        }

        if (losses[last] - losses[0] > Trainer.StartAtOptimumTolerance * Math.Abs(losses[0]) || TailGrew(steps, losses))
        {
            return (RunStatus.Diverging, null);
        }

        return (RoseLate(steps, losses) ? RunStatus.Oscillating : RunStatus.Stalled, null);
    }

    /// <summary>
    /// The loss at every reported step of the last eighth of the run above its largest in the eighth before (by more
    /// than
    /// round-off): a slow blow-up the budget cut short. Both windows must hold a report, or nothing can be said.
    /// </summary>
    public static bool TailGrew(IReadOnlyList<int> steps, IReadOnlyList<double> losses)
    {
        var end = steps[^1];
        var width = Math.Max(1, end / 8);
        double earlierMax = double.NegativeInfinity, laterMin = double.PositiveInfinity;
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] > end - width)
            {
                laterMin = Math.Min(laterMin, losses[i]);
            }
            else if (steps[i] > end - (2 * width))
            {
                earlierMax = Math.Max(earlierMax, losses[i]);
            }
        }

        return double.IsFinite(earlierMax) && double.IsFinite(laterMin)
            && laterMin - earlierMax > Trainer.StartAtOptimumTolerance * Math.Abs(earlierMax);
    }

    /// <summary>
    /// The loss rose from one report to the next in the last quarter of the run: bounded but not settling, as
    /// full-batch
    /// GD at the edge of stability is (the error flips sign each step, which a curve of the loss alone shows this way).
    /// </summary>
    public static bool RoseLate(IReadOnlyList<int> steps, IReadOnlyList<double> losses)
    {
        var end = steps[^1];
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i] > end - Math.Max(1, end / 4) && losses[i] - losses[i - 1] > Trainer.StartAtOptimumTolerance * Math.Abs(losses[i - 1]))
            {
                return true;
            }
        }

        return false;
    }
}
