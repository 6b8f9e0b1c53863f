using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Plan;

namespace GdSweeps.Training;

/// <summary>
/// What the built-in models read of a run: its problem, rate, and its value on each axis they use, read once at its
/// start.
/// </summary>
internal readonly struct BuiltinRun(RunSpec spec)
{
    public RunSpec Spec { get; } = spec;

    public Problem Problem => Spec.Problem;

    public double LearningRate => Spec.LearningRate;

    public InitSpec Init { get; } = spec.Get(SweepAxes.W0);

    public double B0 { get; } = spec.Get(SweepAxes.B0);

    public OptimizerSpec Optimizer { get; } = spec.Get(SweepAxes.Optimizer);

    public ScheduleSpec Schedule { get; } = spec.Get(SweepAxes.Schedule);

    public int Steps { get; } = spec.Get(SweepAxes.Steps);

    public ClipSpec? Clip { get; } = spec.Get(SweepAxes.Clip);

    public int Seed { get; } = spec.Get(SweepAxes.Seeds);

    /// <summary>
    /// A clipped run judged per eigen-component: GD or momentum on MSE, whose directions evolve apart wherever the
    /// clip does not cap the step (docs/analysis.md).
    /// </summary>
    public bool Judged => Clip is not null && Problem.Loss.IsQuadratic && Optimizer.Kind is OptimizerKind.Gd or OptimizerKind.Momentum or OptimizerKind.Nesterov;

    /// <summary>
    /// The analytic bound where theory gives one: a quadratic loss, a full-batch optimizer with a bound, a schedule
    /// that ends constant.
    /// </summary>
    public double? Bound => Problem.LambdaMax is { } lambda && Optimizer.FullBatch && Schedule.EndsConstant ? Optimizer.Bound(lambda) : null;
}
