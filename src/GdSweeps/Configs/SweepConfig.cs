using GdSweeps.Data;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Configs;

/// <summary>How a full-batch MSE step is computed: from precomputed sums (O(1) per step) or over every sample.</summary>
public enum KernelMode
{
    /// <summary>Use the sums x·x, x·y, y·y wherever that is exact math (full-batch MSE on a linear model).</summary>
    Auto,

    /// <summary>Always loop over the samples; the reference path, and what SGD or non-quadratic losses need.</summary>
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

/// <summary>A validated sweep: every axis resolved to its values, datasets loaded. Immutable.</summary>
public sealed record SweepConfig
{
    public required string Name { get; init; }

    /// <summary>The config file as given on the command line.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The config file's text, kept so the results record exactly what was asked.</summary>
    public required string Text { get; init; }

    public required IReadOnlyList<Dataset> Datasets { get; init; }

    public required IReadOnlyList<TransformKind> Transforms { get; init; }

    /// <summary>Every (dataset, transform) pair fitted once, dataset-major: index <c>d * Transforms.Count + t</c>.</summary>
    public required IReadOnlyList<LinearProblem> Problems { get; init; }

    public required IReadOnlyList<double> W0 { get; init; }

    public required IReadOnlyList<double> LearningRates { get; init; }

    /// <summary>Clip thresholds on the gradient norm; null means no clipping.</summary>
    public required IReadOnlyList<double?> Clips { get; init; }

    public required IReadOnlyList<int> Steps { get; init; }

    /// <summary>A run whose loss exceeds this (or is not finite) has diverged.</summary>
    public double DivergenceThreshold { get; init; } = 1e12;

    /// <summary>A run has converged when its distance to the optimum fell below this fraction of where it started.</summary>
    public double Tolerance { get; init; } = 1e-6;

    public CurveMode Curve { get; init; } = CurveMode.Log;

    public KernelMode Kernel { get; init; } = KernelMode.Auto;

    public const string Model = "linear";

    public const string Optimizer = "gd";

    public const string Loss = "mse";

    public long RunCount =>
        (long)Datasets.Count * Transforms.Count * W0.Count * Steps.Count * Clips.Count * LearningRates.Count;
}
