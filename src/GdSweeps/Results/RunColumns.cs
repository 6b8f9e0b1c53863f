using GdSweeps.Grid;
using GdSweeps.Training;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Results;

/// <summary>A run and what it measured: one row of <c>runs/</c>.</summary>
internal readonly record struct RunResult(RunSpec Spec, RunOutcome Outcome);

/// <summary>
/// The columns every sweep's <c>runs/</c> has, whatever trains it: the run's ids and place, its learning rate, and what
/// every trainer measures. Each declared once, with its meaning and what null means; the writer, the reader and
/// docs/results-schema.md (checked by a test) take them from here, the axes' columns from the axes
/// (<see cref="RunSchema"/>), and each trainer's own from <see cref="BuiltinColumns"/> or <see cref="CommandColumns"/>.
/// </summary>
internal static class RunColumns
{
    public static Column<RunResult, string?> RunId { get; } = Text<RunResult>("run_id", r => r.Spec.Id.ToString(),
        "16 hex digits naming the run by everything that can change its stored values: XxHash3 of its group id, seed and learning rate");

    public static Column<RunResult, string?> GroupId { get; } = Text<RunResult>("group_id", r => GroupText(r.Spec.GroupId),
        "16 hex digits of SHA-256 over every axis value but the learning rate and seed (the dataset by name and fingerprint), the kernel, the curve mode, the divergence threshold, the tolerance and the version of the math: the runs a stable range is measured over");

    public static Column<RunResult, long> RunIndex { get; } = Value<RunResult, long>("run_index", r => r.Spec.Index,
        "position in the grid (axes in the order of docs/config.md, learning rate fastest); refinement runs follow the grid");

    public static Column<RunResult, bool> Refinement { get; } = Value<RunResult, bool>("refinement", r => r.Spec.IsRefinement,
        "true for a run added to find a stability edge (the search beyond the grid, then the bisection), not in the config's grid");

    public static Column<RunResult, double> LearningRate { get; } = Value<RunResult, double>("learning_rate", r => r.Spec.LearningRate, "step size");

    public static Column<RunResult, string?> Status { get; } = Text<RunResult>("status", r => r.Outcome.Status.Name(),
        $"{string.Join(", ", RunStatuses.Rows.Select(s => $"`{s.Name}`"))} (rules in analysis.md)");

    public static Column<RunResult, string?> Error { get; } = OptionalText<RunResult>("error", r => r.Outcome.Error, "the exception of a failed run", "the run did not fail");

    public static Column<RunResult, int> StepsRun { get; } = Value<RunResult, int>("steps_run", r => r.Outcome.StepsRun,
        "updates applied: the budget, or the step at which the run diverged");

    public static Column<RunResult, int?> DivergedAtStep { get; } = Optional<RunResult, int>("diverged_at_step", r => r.Outcome.DivergedAtStep,
        "the step whose loss first exceeded the threshold or was not finite", "the run did not diverge");

    public static Column<RunResult, int?> ConvergedAtStep { get; } = Optional<RunResult, int>("converged_at_step", r => r.Outcome.ConvergedAtStep,
        "first step within the tolerance of the optimum", "the run did not converge");

    public static Column<RunResult, double?> InitialLoss { get; } = Optional<RunResult, double>("initial_loss", r => Finite(r.Outcome.InitialLoss),
        "loss at the start, transformed units", "the run failed");

    public static Column<RunResult, double> FinalLoss { get; } = Value<RunResult, double>("final_loss", r => r.Outcome.FinalLoss,
        "loss after the last update; for a diverged run the loss that crossed (may be inf or NaN; NaN for a failed run)");

    public static Column<RunResult, double?> FinalLossOriginal { get; } = Optional<RunResult, double>("final_loss_original", r => Finite(r.Outcome.FinalLossOriginal),
        "final loss with predictions mapped back through the target's inverse transform, against the raw y", "the run diverged or failed (there is no final loss to map back)");

    public static Column<RunResult, double> BestLoss { get; } = Value<RunResult, double>("best_loss", r => r.Outcome.BestLoss, "lowest loss at any step (NaN for a failed run)");

    public static Column<RunResult, double?> InitialGradientNorm { get; } = Optional<RunResult, double>("initial_gradient_norm", r => r.Outcome.InitialGradientNorm,
        "norm of the gradient at the start (for a command's run, its `grad_norm` at step 0)", "the run failed, or a command did not report it");

    public static Column<RunResult, double> MaxGradientNorm { get; } = Value<RunResult, double>("max_gradient_norm", r => r.Outcome.MaxGradientNorm,
        "largest gradient norm before clipping, over the updates (NaN for a failed run, or a command that reported none)");

    public static Column<RunResult, double?> LrCrit { get; } = Optional<RunResult, double>("lr_crit", r => r.Outcome.LrCrit,
        "the stability bound of this run: for the built-in models the analytic one of its optimizer, `2/lambda_max` for gd, `2(1+beta)/lambda_max` for heavy-ball momentum, `2(1+beta)/((1+2 beta) lambda_max)` for Nesterov (clipping does not move it); for a command's run `2/sharpness_0`, from the top Hessian eigenvalue it reported at step 0",
        "no theory applies: other optimizers, sgd, huber, step decay; or a command that reported no sharpness at step 0");

    /// <summary>The ids and place of a run: the first columns of every sweep.</summary>
    public static IReadOnlyList<RowColumn<RunResult>> Ids { get; } = [RunId, GroupId, RunIndex, Refinement];

    /// <summary>What every trainer measures: after the axes' columns and the learning rate.</summary>
    public static IReadOnlyList<RowColumn<RunResult>> Outcome { get; } =
    [
        Status, Error, StepsRun, DivergedAtStep, ConvergedAtStep, InitialLoss, FinalLoss, FinalLossOriginal, BestLoss,
        InitialGradientNorm, MaxGradientNorm, LrCrit,
    ];

    internal static double? Finite(double v) => double.IsFinite(v) ? v : null;

    [ThreadStatic]
    private static (RunId Id, string Text) lastGroup;

    /// <summary>A group's id as text, made once for the group's consecutive runs rather than once a run.</summary>
    internal static string GroupText(RunId id)
    {
        if (lastGroup.Text is null || lastGroup.Id != id)
        {
            lastGroup = (id, id.ToString());
        }

        return lastGroup.Text;
    }
}
