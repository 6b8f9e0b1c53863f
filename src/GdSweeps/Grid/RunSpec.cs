using GdSweeps.Configs;
using GdSweeps.Plan;

namespace GdSweeps.Grid;

/// <summary>One run of a sweep: what to train, where it sits in the grid, and the ids that name it across reruns, resumes and shards.</summary>
public sealed record RunSpec
{
    /// <summary>Position in the grid; refinement runs follow the grid.</summary>
    public required long Index { get; init; }

    /// <summary>Hash of everything that can change the run's stored numbers (<see cref="RunIdentity"/>).</summary>
    public required RunId Id { get; init; }

    /// <summary>The same without the learning rate and seed: the runs a stable range is measured over.</summary>
    public required RunId GroupId { get; init; }

    public required Problem Problem { get; init; }

    public required InitSpec Init { get; init; }

    /// <summary>The starting bias (used by affine models only).</summary>
    public double B0 { get; init; }

    public required OptimizerSpec Optimizer { get; init; }

    public required ScheduleSpec Schedule { get; init; }

    public required double LearningRate { get; init; }

    /// <summary>Null when the run does not clip.</summary>
    public required ClipSpec? Clip { get; init; }

    public required int Steps { get; init; }

    public required int Seed { get; init; }

    /// <summary>The values of the user's parameters (<c>params:</c>), in the config's order; empty for the built-in models.</summary>
    public IReadOnlyList<ParamValue> Params { get; init; } = [];

    /// <summary>Added by bisection on the learning rate, not part of the config's grid.</summary>
    public bool IsRefinement { get; init; }
}
