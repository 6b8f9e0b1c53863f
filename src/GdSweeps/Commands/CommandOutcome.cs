using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Commands;

/// <summary>
/// Turns what a command's last attempt reported into the run's outcome, by the same status rules as the built-in
/// models' where they apply (docs/analysis.md).
/// </summary>
internal static class CommandOutcome
{
    public static RunOutcome From(RunSpec spec, AttemptResult last, int attempts, string log, string? stderrTail, bool allSteps, double tolerance)
    {
        var curve = last.Curve;
        var record = Record(spec, last, attempts, log, stderrTail, allSteps);
        if (curve.DivergedAt is null && (last.Error is not null || curve.Count == 0))
        {
            var error = last.Error ?? "the command printed no step lines (see the protocol in docs/config.md)";
            return RunOutcome.Failed(attempts > 1 ? $"{error} (after {attempts} attempts)" : error) with { Command = record, InitialGradientNorm = record.InitialGradientNorm, LrCrit = record.Bound };
        }

        // Without grad_norm at the first and last step the loss is the measure, read as a distance from the best fit: a
        // negative one (a log-likelihood's) would read as "nothing to learn" or never converge. Said, not misread.
        var byLoss = double.IsNaN(curve.GradNorms[0]) || double.IsNaN(curve.GradNorms[^1]);
        if (curve.DivergedAt is null && byLoss && curve.Losses.FirstOrDefault(l => l < 0) is < 0 and var negative)
        {
            var error = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the loss went negative ({negative:R}): without grad_norm the rules read the loss as a distance from the best fit, at least 0; report grad_norm at the first and last step, or a loss shifted to be at least 0 (docs/analysis.md)");
            return RunOutcome.Failed(error) with { Command = record, InitialGradientNorm = record.InitialGradientNorm, LrCrit = record.Bound };
        }

        var status = RunStatus.Diverged;
        int? convergedAt = null;
        if (curve.DivergedAt is null)
        {
            (status, convergedAt) = CurveClassification.Classify(curve.Steps, curve.Losses, curve.GradNorms, tolerance);
        }

        var finite = curve.Losses.Where(double.IsFinite).ToList();
        var norms = curve.GradNorms.Where(g => !double.IsNaN(g)).ToList();
        var kept = curve.Kept(allSteps);
        return new RunOutcome
        {
            Status = status,
            StepsRun = curve.Steps[^1],
            DivergedAtStep = curve.DivergedAt,
            ConvergedAtStep = convergedAt,
            InitialLoss = curve.Losses[0],
            FinalLoss = curve.Losses[^1],
            FinalLossOriginal = curve.DivergedAt is null ? curve.Final.GetValueOrDefault(Protocol.LossOriginal) ?? double.NaN : double.NaN,
            BestLoss = finite.Count > 0 ? finite.Min() : curve.Losses[0],
            InitialGradient = [],
            InitialGradientNorm = record.InitialGradientNorm,
            MaxGradientNorm = norms.Count > 0 ? norms.Max() : double.NaN,
            LrCrit = record.Bound,
            ClippedSteps = 0,
            InitialParameters = [],
            FinalParameters = [],
            Curve = kept.Select(i => new CurvePoint(curve.Steps[i], curve.Losses[i], double.NaN, curve.GradNorms[i], double.NaN)).ToArray(),
            Command = record,
        };
    }

    private static CommandRecord Record(RunSpec spec, AttemptResult last, int attempts, string log, string? stderrTail, bool allSteps)
    {
        var curve = last.Curve;
        var kept = curve.Kept(allSteps);
        var sharpness = curve.Sharpness.Where(s => s is not null).Select(s => s!.Value).ToList();
        var ratios = curve.Sharpness.Select(s => s * spec.LearningRate / 2).Where(r => r is not null).Select(r => r!.Value).ToList();
        var metrics = curve.Metrics.ToDictionary(
            m => m.Key,
            m => curve.Final.TryGetValue(m.Key, out var final) ? final : m.Value.LastOrDefault(v => v is not null),
            StringComparer.Ordinal);
        return new CommandRecord
        {
            ExitCode = last.ExitCode,
            DurationSeconds = last.Seconds,
            Attempts = attempts,
            Stopped = last.Stopped,
            StderrTail = stderrTail,
            Log = log,
            InitialGradientNorm = curve.Count > 0 && !double.IsNaN(curve.GradNorms[0]) ? curve.GradNorms[0] : null,
            Sharpness0 = curve.Count > 0 ? curve.Sharpness[0] : null,
            SharpnessLast = sharpness.Count > 0 ? sharpness[^1] : null,
            SharpnessMax = sharpness.Count > 0 ? sharpness.Max() : null,
            SharpnessMin = sharpness.Count > 0 ? sharpness.Min() : null,
            SharpnessRatioMax = ratios.Count > 0 ? ratios.Max() : null,
            Metrics = metrics,
            CurveSharpness = [.. kept.Select(i => curve.Sharpness[i])],
            CurveMetrics = curve.Metrics.ToDictionary(m => m.Key, m => kept.Select(i => m.Value[i]).ToArray(), StringComparer.Ordinal),
        };
    }
}
