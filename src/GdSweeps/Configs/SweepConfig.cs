using GdSweeps.Data;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Configs;

/// <summary>How a full-batch MSE step is computed: from precomputed sums (O(p^2) per step) or over every sample.</summary>
public enum KernelMode
{
    /// <summary>Use the sums Z^T Z, Z^T y, y^T y wherever that is exact math (full-batch MSE on a linear model).</summary>
    Auto,

    /// <summary>Always loop over the samples: the reference path.</summary>
    PerSample,
}

/// <summary>Which steps of each run are kept in the loss curves.</summary>
public enum CurveMode
{
    /// <summary>Steps 0 to 10, then about 20 per decade, and always the last.</summary>
    Log,

    /// <summary>Every step.</summary>
    All,
}

/// <summary>A validated sweep: every axis resolved to its values, datasets loaded, problems fitted. Immutable.</summary>
/// <remarks>The axes, in grid order (the last varies fastest), are listed in <see cref="AxisNames"/>.</remarks>
public sealed record SweepConfig
{
    public static readonly IReadOnlyList<string> AxisNames =
        ["datasets", "transforms", "model", "loss", "w0", "b0", "optimizer", "schedule", "steps", "clip", "seeds", "learning_rates"];

    public required string Name { get; init; }

    /// <summary>The config file as given on the command line.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The config file's text, kept so the results record exactly what was asked.</summary>
    public required string Text { get; init; }

    public required IReadOnlyList<Dataset> Datasets { get; init; }

    /// <summary>The data files the config reads, as written and resolved against the config's folder.</summary>
    public IReadOnlyList<(string Given, string Resolved)> DataFiles { get; init; } = [];

    public required IReadOnlyList<TransformSpec> Transforms { get; init; }

    public IReadOnlyList<ModelKind> Models { get; init; } = [ModelKind.Linear];

    public IReadOnlyList<LossSpec> Losses { get; init; } = [LossSpec.Mse];

    /// <summary>Every (dataset, transform, model, loss) fitted once, in that nesting order.</summary>
    public required IReadOnlyList<Problem> Problems { get; init; }

    /// <summary>Starting weights (the bias comes from <see cref="B0"/>).</summary>
    public IReadOnlyList<InitSpec> W0 { get; init; } = [InitSpec.Scalar(1)];

    public IReadOnlyList<double> B0 { get; init; } = [0];

    public IReadOnlyList<OptimizerSpec> Optimizers { get; init; } = [OptimizerSpec.Gd];

    public IReadOnlyList<ScheduleSpec> Schedules { get; init; } = [ScheduleSpec.Constant];

    public IReadOnlyList<int> Steps { get; init; } = [1000];

    /// <summary>Clip rules; null means no clipping.</summary>
    public IReadOnlyList<ClipSpec?> Clips { get; init; } = [null];

    public IReadOnlyList<int> Seeds { get; init; } = [0];

    public required IReadOnlyList<double> LearningRates { get; init; }

    /// <summary>Groups of axes that move together instead of multiplying.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Zips { get; init; } = [];

    /// <summary>Combinations left out of the grid.</summary>
    public IReadOnlyList<ExcludeRule> Excludes { get; init; } = [];

    public double DivergenceThreshold { get; init; } = 1e12;

    public double Tolerance { get; init; } = 1e-6;

    public CurveMode Curve { get; init; } = CurveMode.Log;

    public KernelMode Kernel { get; init; } = KernelMode.Auto;

    /// <summary>Sweeps with more runs than this need <c>--yes</c>.</summary>
    public long MaxRuns { get; init; } = 1_000_000;

    /// <summary>Relative tolerance of the bisection of each group's stability edge; null for no refinement.</summary>
    public double? Refine { get; init; }

    public TrainSettings Settings => new(DivergenceThreshold, Tolerance, Kernel == KernelMode.PerSample);

    /// <summary>The number of values of each axis, in <see cref="AxisNames"/> order.</summary>
    public int[] AxisLengths =>
    [
        Datasets.Count, Transforms.Count, Models.Count, Losses.Count, W0.Count, B0.Count, Optimizers.Count,
        Schedules.Count, Steps.Count, Clips.Count, Seeds.Count, LearningRates.Count,
    ];
}

/// <summary>Leaves out every run whose values match all of <see cref="Match"/> (axis name to accepted values).</summary>
public sealed record ExcludeRule(IReadOnlyDictionary<string, IReadOnlyList<string>> Match);
