using GdSweeps.Configs.Axes;
using GdSweeps.Data;
using GdSweeps.Transforms;

namespace GdSweeps.Configs;

/// <summary>
/// Every axis a config can sweep, in grid order (the last varies fastest). The one registration of an axis: its reader,
/// its stored columns and how it names a group live in its own file under <c>Axes/</c>; everything else (zip, exclude,
/// identity, the runs' columns, settings, summaries, comparisons, labels) is built from the axes by name.
/// </summary>
internal static class SweepAxes
{
    public static AxisKind<Dataset> Datasets { get; } = DatasetAxis.Kind;

    public static AxisKind<TransformSpec> Transforms { get; } = TransformAxis.Kind;

    public static AxisKind<ModelKind> Model { get; } = ModelAxes.Model;

    public static AxisKind<LossSpec> Loss { get; } = ModelAxes.Loss;

    public static AxisKind<InitSpec> W0 { get; } = StartAxis.Kind;

    public static AxisKind<double> B0 { get; } = NumberAxes.B0;

    public static AxisKind<OptimizerSpec> Optimizer { get; } = OptimizerAxis.Kind;

    public static AxisKind<ScheduleSpec> Schedule { get; } = ScheduleAxis.Kind;

    public static AxisKind<int> Steps { get; } = NumberAxes.Steps;

    public static AxisKind<ClipSpec?> Clip { get; } = ClipAxis.Kind;

    public static AxisKind<int> Seeds { get; } = NumberAxes.Seeds;

    public static AxisKind<double> LearningRates { get; } = NumberAxes.LearningRates;

    public static IReadOnlyList<AxisKind> All { get; } =
        [Datasets, Transforms, Model, Loss, W0, B0, Optimizer, Schedule, Steps, Clip, Seeds, LearningRates];

    /// <summary>The axes a group of runs does not fix: a stable range is measured over them.</summary>
    public static IReadOnlyList<string> Free { get; } = [.. All.Where(a => a.Free).Select(a => a.Name)];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(a => a.Name)];
}
