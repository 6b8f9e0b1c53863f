using System.Globalization;
using GdSweeps.Configs;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Results;

/// <summary>
/// The columns the built-in models add to <c>runs/</c>: the parameters, the closed-form optimum and the Hessian's
/// spectrum.
/// </summary>
internal static class BuiltinColumns
{
    private const string NotQuadratic = "the loss is not quadratic";

    private const string NoOptimum = "no closed form (huber, or singular Z^T Z)";

    public static Column<RunResult, double?> InitialGradient { get; } = Optional<RunResult, double>("initial_gradient",
        r => r.Outcome.InitialGradient.Length > 0 ? r.Outcome.InitialGradient[0] : null,
        "first component of the gradient at the start (`-10001` for the seed's raw data)", "the run failed");

    public static Column<RunResult, int> ClippedSteps { get; } = Value<RunResult, int>("clipped_steps", r => r.Outcome.ClippedSteps, "updates whose gradient was clipped");

    public static Column<RunResult, double?> FinalW { get; } = Optional<RunResult, double>("final_w",
        r => r.Outcome.FinalParameters.Length > 0 ? r.Outcome.FinalParameters[0] : null, "first weight after the last update", "the run failed");

    public static Column<RunResult, double?> FinalB { get; } = Optional<RunResult, double>("final_b",
        r => r.Spec.Problem.Model == ModelKind.Affine && r.Outcome.FinalParameters.Length > 0 ? r.Outcome.FinalParameters[^1] : null,
        "bias after the last update", "the model has no bias, or the run failed");

    public static Column<RunResult, string?> FinalParams { get; } = Text<RunResult>("final_params", r => Vector(r.Outcome.FinalParameters),
        "every parameter after the last update, `[w1, ..., b]`, round-trip precision (`[]` for a failed run)");

    public static Column<RunResult, double?> DistanceToOptimum { get; } = Optional<RunResult, double>("distance_to_optimum", r => r.Outcome.DistanceToOptimum,
        "Euclidean distance of the final parameters from the closed-form optimum", NoOptimum + ", or the run failed");

    public static Column<RunResult, double?> WStar { get; } = Optional<RunResult, double>("w_star", r => r.Spec.Problem.Optimum?[0],
        "first weight of the least-squares optimum (normal equations)", NoOptimum);

    public static Column<RunResult, double?> BStar { get; } = Optional<RunResult, double>("b_star",
        r => r.Spec.Problem.Model == ModelKind.Affine ? r.Spec.Problem.Optimum?[^1] : null, "bias of the optimum", "no bias, or " + NoOptimum);

    public static Column<RunResult, double?> LossStar { get; } = Optional<RunResult, double>("loss_star", r => r.Spec.Problem.LossStar, "loss at the optimum", NoOptimum);

    public static Column<RunResult, double?> LambdaMax { get; } = Optional<RunResult, double>("lambda_max", r => r.Spec.Problem.LambdaMax,
        "largest eigenvalue of the MSE Hessian `(2/n) Z^T Z` (Z: transformed features, plus a column of ones for affine)", NotQuadratic);

    public static Column<RunResult, double?> LambdaMin { get; } = Optional<RunResult, double>("lambda_min", r => r.Spec.Problem.LambdaMin,
        "smallest eigenvalue of that Hessian", NotQuadratic);

    public static Column<RunResult, double?> ConditionNumber { get; } = Optional<RunResult, double>("condition_number", r => r.Spec.Problem.ConditionNumber,
        "lambda_max / lambda_min (inf when singular)", NotQuadratic);

    public static Column<RunResult, double?> LrCritGd { get; } = Optional<RunResult, double>("lr_crit_gd", r => r.Spec.Problem.LrCritGd,
        "`2/lambda_max`, the bound for full-batch GD, whatever this run's optimizer", NotQuadratic);

    public static Column<RunResult, long?> PredictedConvergedAtStep { get; } = Optional<RunResult, long>("predicted_converged_at_step", r => r.Outcome.PredictedSteps,
        "the steps theory predicts this run needs to come within the tolerance: for GD the first t with `sum_k c_k^2 (1 - lr lambda_k)^(2t) <= tol^2 |e_0|^2` over every direction of the Hessian (c_k: the start's component along it); for heavy-ball and Nesterov momentum each direction's recurrence iterated. Compare `converged_at_step`; for a `stalled` run, the steps it would need",
        "no theory: not GD or momentum on MSE, clipped, a schedule, or the run never converges at this rate");

    public static Column<RunResult, double?> FastestLr { get; } = Optional<RunResult, double>("fastest_lr", r => r.Outcome.FastestRate,
        "GD's rate of the best worst-case contraction on this problem, `2/(lambda_max + lambda_min)`", "not GD on MSE");

    public static Column<RunResult, long?> FastestLrSteps { get; } = Optional<RunResult, long>("fastest_lr_steps", r => r.Outcome.FastestSteps,
        "the steps theory predicts at `fastest_lr` from this run's start", "not GD on MSE");

    public static Column<RunResult, long?> StepsToArrive { get; } = Optional<RunResult, long>("steps_to_arrive", r => r.Outcome.StepsToArrive,
        "a clipped run's capped steps to cross from its start to the optimum, at least `distance / (lr c)` (by value, the largest component's; momentum `(1 - beta)` times that): an `in-transit` run needs about this many; 2^63 - 1 when more than a count holds", "the run does not clip, or is not GD or momentum on MSE");

    public static Column<RunResult, double?> LrFinite { get; } = Optional<RunResult, double>("lr_finite", r => r.Outcome.LrFinite,
        "a clipped run's rate above which its swing's loss crosses `divergence_threshold` T: each capped step has length `lr c`, so about `sqrt(2 (T - loss_star) / lambda_max) / c`", "the run does not clip (by norm, or by value with one parameter), or is not GD or momentum on MSE");

    public static IReadOnlyList<RowColumn<RunResult>> All { get; } =
    [
        InitialGradient, ClippedSteps, FinalW, FinalB, FinalParams, DistanceToOptimum, WStar, BStar, LossStar, LambdaMax, LambdaMin,
        ConditionNumber, LrCritGd, PredictedConvergedAtStep, FastestLr, FastestLrSteps, StepsToArrive, LrFinite,
    ];

    private static string Vector(double[] values)
    {
        if (values.Length != 1)
        {
            return "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
        }

        // One parameter, the million's every run: formatted in place, with no builder.
        Span<char> text = stackalloc char[40];
        text[0] = '[';
        values[0].TryFormat(text[1..], out var length, "R", CultureInfo.InvariantCulture);
        text[length + 1] = ']';
        return new string(text[..(length + 2)]);
    }
}
