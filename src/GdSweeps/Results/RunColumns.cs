using System.Globalization;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Training;
using GdSweeps.Transforms;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Results;

/// <summary>A run and what it measured: one row of <c>runs.parquet</c>.</summary>
public readonly record struct RunResult(RunSpec Spec, RunOutcome Outcome);

/// <summary>
/// The columns of <c>runs.parquet</c>, in order: each declared once, with its meaning and what null means. The writer,
/// the reader and docs/results-schema.md (checked by a test) all take them from here.
/// </summary>
public static class RunColumns
{
    private const string NotQuadratic = "the loss is not quadratic, or a command's run";

    private const string NoOptimum = "no closed form (huber, or singular Z^T Z, or a command's run)";

    /// <summary>What the built-in models' text columns read for a command trainer's run, which has its own model, loss, start and optimizer.</summary>
    private const string CommandText = "command";

    private static readonly Labels<TransformSpec> TransformLabels = new(t => t.Label);
    private static readonly Labels<TransformSpec> XLabels = new(t => Pipeline(t.X));
    private static readonly Labels<TransformSpec> YLabels = new(t => Pipeline(t.Y));
    private static readonly Labels<LossSpec> LossLabels = new(l => l.Label);
    private static readonly Labels<InitSpec> StartLabels = new(i => i.Label);
    private static readonly Labels<OptimizerSpec> OptimizerLabels = new(o => o.Label);
    private static readonly Labels<ScheduleSpec> ScheduleLabels = new(s => s.Label);

    public static Column<RunResult, string?> RunId { get; } = Text<RunResult>("run_id", r => r.Spec.Id.ToString(),
        "16 hex digits naming the run by everything that can change its stored values: XxHash3 of its group id, seed and learning rate");

    public static Column<RunResult, string?> GroupId { get; } = Text<RunResult>("group_id", r => GroupText(r.Spec.GroupId),
        "16 hex digits of SHA-256 over every axis value but the learning rate and seed (the dataset by name and fingerprint), the kernel, the curve mode, the divergence threshold, the tolerance and the version of the math: the runs a stable range is measured over");

    public static Column<RunResult, long> RunIndex { get; } = Value<RunResult, long>("run_index", r => r.Spec.Index,
        "position in the grid (axes in the order of docs/config.md, learning rate fastest); refinement runs follow the grid");

    public static Column<RunResult, bool> Refinement { get; } = Value<RunResult, bool>("refinement", r => r.Spec.IsRefinement,
        "true for a run added to find a stability edge (the search beyond the grid, then the bisection), not in the config's grid");

    public static Column<RunResult, string?> Dataset { get; } = Text<RunResult>("dataset", r => r.Spec.Problem.Dataset.Name, "dataset name");

    public static Column<RunResult, string?> DatasetFingerprint { get; } = Text<RunResult>("dataset_fingerprint", r => r.Spec.Problem.Dataset.Fingerprint,
        "16 hex digits of SHA-256 over the raw x and y");

    public static Column<RunResult, int> Samples { get; } = Value<RunResult, int>("samples", r => r.Spec.Problem.Count, "n");

    public static Column<RunResult, int> Features { get; } = Value<RunResult, int>("features", r => r.Spec.Problem.Features, "d");

    public static Column<RunResult, string?> Transform { get; } = Text<RunResult>("transform", r => TransformLabels.Of(r.Spec.Problem.Transform),
        "label: `log1p`, `log1p+standardize`, or `x=...,y=...` when features and target differ");

    public static Column<RunResult, string?> TransformX { get; } = Text<RunResult>("transform_x", r => XLabels.Of(r.Spec.Problem.Transform), "the features' pipeline");

    public static Column<RunResult, string?> TransformY { get; } = Text<RunResult>("transform_y", r => YLabels.Of(r.Spec.Problem.Transform), "the target's pipeline");

    public static Column<RunResult, string?> Model { get; } = Text<RunResult>("model", r => IsCommand(r) ? CommandText : r.Spec.Problem.Model.Name(), "`linear` (y = X w), `affine` (y = X w + b), or `command` (a command trainer's own)");

    public static Column<RunResult, string?> Loss { get; } = Text<RunResult>("loss", r => IsCommand(r) ? CommandText : r.Spec.Problem.Loss.Name, "`mse`, `huber`, or `command`");

    public static Column<RunResult, string?> LossLabel { get; } = Text<RunResult>("loss_label", r => IsCommand(r) ? CommandText : LossLabels.Of(r.Spec.Problem.Loss), "the loss with its parameter: `mse`, `huber(delta=1)`, or `command`");

    public static Column<RunResult, double?> HuberDelta { get; } = Optional<RunResult, double>("huber_delta",
        r => r.Spec.Problem.Loss.Kind == LossKind.Huber ? r.Spec.Problem.Loss.Delta : null, "huber's delta", "the loss is mse");

    public static Column<RunResult, double?> W0 { get; } = Optional<RunResult, double>("w0", r => IsCommand(r) ? null : r.Spec.Init.ScalarWeight,
        "the starting weight, when every weight starts at the same given value", "per-feature or random start (see `w0_label`), or a command's run");

    public static Column<RunResult, string?> W0Label { get; } = Text<RunResult>("w0_label", r => IsCommand(r) ? CommandText : StartLabels.Of(r.Spec.Init), "the start as written: `1`, `[1,0.5]`, `normal(std=1)`; `command` for a command's run");

    public static Column<RunResult, double?> InitStd { get; } = Optional<RunResult, double>("init_std", r => r.Spec.Init.RandomStd, "std of a random start", "the start is given");

    public static Column<RunResult, double> B0 { get; } = Value<RunResult, double>("b0", r => r.Spec.B0, "the starting bias (an axis of every sweep; only affine models have a bias to start; 0 for a command's run)");

    public static Column<RunResult, string?> Optimizer { get; } = Text<RunResult>("optimizer", r => IsCommand(r) ? CommandText : r.Spec.Optimizer.Name,
        "`gd`, `sgd`, `momentum`, `nesterov`, `adam`, `rmsprop`, `adagrad`, `normalized`, or `command`");

    public static Column<RunResult, string?> OptimizerLabel { get; } = Text<RunResult>("optimizer_label", r => IsCommand(r) ? CommandText : OptimizerLabels.Of(r.Spec.Optimizer),
        "name with hyperparameters, e.g. `momentum(beta=0.9)`; `command` for a command's run");

    public static Column<RunResult, double?> Beta { get; } = Optional<RunResult, double>("beta", r => r.Spec.Optimizer.Beta, "momentum coefficient", "not momentum or nesterov");

    public static Column<RunResult, double?> Beta1 { get; } = Optional<RunResult, double>("beta1", r => r.Spec.Optimizer.Beta1, "adam's beta1", "not adam");

    public static Column<RunResult, double?> Beta2 { get; } = Optional<RunResult, double>("beta2", r => r.Spec.Optimizer.Beta2, "adam's beta2", "not adam");

    public static Column<RunResult, double?> Alpha { get; } = Optional<RunResult, double>("alpha", r => r.Spec.Optimizer.Alpha, "rmsprop's smoothing constant", "not rmsprop");

    public static Column<RunResult, double?> Eps { get; } = Optional<RunResult, double>("eps", r => r.Spec.Optimizer.Eps, "adam, rmsprop, adagrad epsilon", "the optimizer has none");

    public static Column<RunResult, int?> BatchSize { get; } = Optional<RunResult, int>("batch_size", r => r.Spec.Optimizer.BatchSize, "samples per SGD step", "not sgd");

    public static Column<RunResult, string?> Schedule { get; } = Text<RunResult>("schedule", r => IsCommand(r) ? CommandText : ScheduleLabels.Of(r.Spec.Schedule),
        "`constant`, `warmup(N)`, `step(every=K,gamma=g)` or both joined by `+`; `command` for a command's run");

    public static Column<RunResult, int?> WarmupSteps { get; } = Optional<RunResult, int>("warmup_steps", r => r.Spec.Schedule.WarmupSteps, "warmup length", "no warmup");

    public static Column<RunResult, int?> DecayEvery { get; } = Optional<RunResult, int>("decay_every", r => r.Spec.Schedule.DecayEvery, "steps between decays", "no step decay");

    public static Column<RunResult, double?> DecayGamma { get; } = Optional<RunResult, double>("decay_gamma", r => r.Spec.Schedule.DecayGamma, "decay factor", "no step decay");

    public static Column<RunResult, int> Steps { get; } = Value<RunResult, int>("steps", r => r.Spec.Steps, "step budget");

    public static Column<RunResult, double?> Clip { get; } = Optional<RunResult, double>("clip", r => r.Spec.Clip?.Threshold, "clip threshold", "the run does not clip");

    public static Column<RunResult, string?> ClipMode { get; } = OptionalText<RunResult>("clip_mode", r => r.Spec.Clip?.ModeName, "`norm` or `value`", "the run does not clip");

    public static Column<RunResult, int> Seed { get; } = Value<RunResult, int>("seed", r => r.Spec.Seed, "the run's seed (random start, SGD order)");

    public static Column<RunResult, double> LearningRate { get; } = Value<RunResult, double>("learning_rate", r => r.Spec.LearningRate, "step size");

    public static Column<RunResult, string?> Status { get; } = Text<RunResult>("status", r => r.Outcome.Status.Name(),
        "`converged`, `oscillating`, `stalled`, `clip-bound`, `diverged`, `diverging`, `uninformative`, `failed` (rules in analysis.md)");

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

    public static Column<RunResult, double?> InitialGradient { get; } = Optional<RunResult, double>("initial_gradient",
        r => r.Outcome.InitialGradient.Length > 0 ? r.Outcome.InitialGradient[0] : null,
        "first component of the gradient at the start (`-10001` for the seed's raw data)", "the run failed");

    public static Column<RunResult, double?> InitialGradientNorm { get; } = Optional<RunResult, double>("initial_gradient_norm",
        r => IsCommand(r) ? r.Outcome.Command!.InitialGradientNorm : r.Outcome.InitialGradient.Length > 0 ? Training.Optimizer.Norm(r.Outcome.InitialGradient) : null,
        "norm of the gradient at the start (for a command's run, its `grad_norm` at step 0)", "the run failed, or a command did not report it");

    public static Column<RunResult, double> MaxGradientNorm { get; } = Value<RunResult, double>("max_gradient_norm", r => r.Outcome.MaxGradientNorm,
        "largest gradient norm before clipping, over the updates (NaN for a failed run, or a command that reported none)");

    public static Column<RunResult, int> ClippedSteps { get; } = Value<RunResult, int>("clipped_steps", r => r.Outcome.ClippedSteps, "updates whose gradient was clipped (0 for a command's run, which clips itself)");

    public static Column<RunResult, double?> FinalW { get; } = Optional<RunResult, double>("final_w",
        r => r.Outcome.FinalParameters.Length > 0 ? r.Outcome.FinalParameters[0] : null, "first weight after the last update", "the run failed");

    public static Column<RunResult, double?> FinalB { get; } = Optional<RunResult, double>("final_b",
        r => r.Spec.Problem.Model == ModelKind.Affine && r.Outcome.FinalParameters.Length > 0 ? r.Outcome.FinalParameters[^1] : null,
        "bias after the last update", "the model has no bias, or the run failed");

    public static Column<RunResult, string?> FinalParams { get; } = Text<RunResult>("final_params", r => Vector(r.Outcome.FinalParameters),
        "every parameter after the last update, `[w1, ..., b]`, round-trip precision (`[]` for a failed run or a command's)");

    public static Column<RunResult, double?> DistanceToOptimum { get; } = Optional<RunResult, double>("distance_to_optimum", r => r.Outcome.DistanceToOptimum,
        "Euclidean distance of the final parameters from the closed-form optimum", NoOptimum + ", or the run failed");

    public static Column<RunResult, double?> WStar { get; } = Optional<RunResult, double>("w_star", r => IsCommand(r) ? null : r.Spec.Problem.Optimum?[0],
        "first weight of the least-squares optimum (normal equations)", NoOptimum);

    public static Column<RunResult, double?> BStar { get; } = Optional<RunResult, double>("b_star",
        r => r.Spec.Problem.Model == ModelKind.Affine && !IsCommand(r) ? r.Spec.Problem.Optimum?[^1] : null, "bias of the optimum", "no bias, or " + NoOptimum);

    public static Column<RunResult, double?> LossStar { get; } = Optional<RunResult, double>("loss_star", r => IsCommand(r) ? null : r.Spec.Problem.LossStar, "loss at the optimum", NoOptimum);

    public static Column<RunResult, double?> LambdaMax { get; } = Optional<RunResult, double>("lambda_max", r => IsCommand(r) ? null : r.Spec.Problem.LambdaMax,
        "largest eigenvalue of the MSE Hessian `(2/n) Z^T Z` (Z: transformed features, plus a column of ones for affine)", NotQuadratic);

    public static Column<RunResult, double?> LambdaMin { get; } = Optional<RunResult, double>("lambda_min", r => IsCommand(r) ? null : r.Spec.Problem.LambdaMin,
        "smallest eigenvalue of that Hessian", NotQuadratic);

    public static Column<RunResult, double?> ConditionNumber { get; } = Optional<RunResult, double>("condition_number", r => IsCommand(r) ? null : r.Spec.Problem.ConditionNumber,
        "lambda_max / lambda_min (inf when singular)", NotQuadratic);

    public static Column<RunResult, double?> LrCrit { get; } = Optional<RunResult, double>("lr_crit", r => IsCommand(r) ? SharpnessBound(r.Outcome.Command!) : Bound(r.Spec),
        "the analytic stability bound for this run's optimizer: `2/lambda_max` for gd, `2(1+beta)/lambda_max` for heavy-ball momentum; it ignores clipping. For a command's run `2/sharpness_0`, from the top Hessian eigenvalue it reported at step 0",
        "no theory applies: other optimizers, sgd, huber, step decay; or a command that reported no sharpness at step 0");

    public static Column<RunResult, double?> LrCritGd { get; } = Optional<RunResult, double>("lr_crit_gd", r => IsCommand(r) ? null : r.Spec.Problem.LrCritGd,
        "`2/lambda_max`, the bound for full-batch GD, whatever this run's optimizer", NotQuadratic);

    public static IReadOnlyList<RowColumn<RunResult>> All { get; } =
    [
        RunId, GroupId, RunIndex, Refinement, Dataset, DatasetFingerprint, Samples, Features, Transform, TransformX, TransformY,
        Model, Loss, LossLabel, HuberDelta, W0, W0Label, InitStd, B0, Optimizer, OptimizerLabel, Beta, Beta1, Beta2, Alpha, Eps,
        BatchSize, Schedule, WarmupSteps, DecayEvery, DecayGamma, Steps, Clip, ClipMode, Seed, LearningRate, Status, Error,
        StepsRun, DivergedAtStep, ConvergedAtStep, InitialLoss, FinalLoss, FinalLossOriginal, BestLoss, InitialGradient,
        InitialGradientNorm, MaxGradientNorm, ClippedSteps, FinalW, FinalB, FinalParams, DistanceToOptimum, WStar, BStar,
        LossStar, LambdaMax, LambdaMin, ConditionNumber, LrCrit, LrCritGd,
    ];

    /// <summary>The analytic bound where theory gives one: a quadratic loss, a full-batch optimizer with a bound, a schedule that ends constant.</summary>
    public static double? Bound(RunSpec spec) =>
        spec.Problem.LambdaMax is { } lambda && spec.Optimizer.FullBatch && spec.Schedule.EndsConstant ? spec.Optimizer.Bound(lambda) : null;

    /// <summary>2/sharpness_0: the bound full-batch GD would have on the quadratic that matches the command's loss at its start.</summary>
    public static double? SharpnessBound(CommandRecord command) => command.Sharpness0 is > 0 and var s ? 2 / s : null;

    private static bool IsCommand(RunResult r) => r.Outcome.Command is not null;

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    [ThreadStatic]
    private static (RunId Id, string Text) lastGroup;

    /// <summary>A group's id as text, made once for the group's consecutive runs rather than once a run.</summary>
    private static string GroupText(RunId id)
    {
        if (lastGroup.Text is null || lastGroup.Id != id)
        {
            lastGroup = (id, id.ToString());
        }

        return lastGroup.Text;
    }

    private static string Pipeline(IReadOnlyList<TransformKind> steps) => string.Join("+", steps.Select(Transforms.Transform.Name));

    private static string Vector(double[] values) => values.Length == 1
        ? string.Create(CultureInfo.InvariantCulture, $"[{values[0]:R}]")
        : "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
