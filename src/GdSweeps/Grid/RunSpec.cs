using GdSweeps.Training;

namespace GdSweeps.Grid;

/// <summary>One run of a sweep: a point of the grid, with the ids that name it and its group across reruns, resumes and shards.</summary>
public sealed record RunSpec
{
    public required long Index { get; init; }

    /// <summary>Hash of everything that defines the run's numbers.</summary>
    public required string RunId { get; init; }

    /// <summary>Hash of the same but the learning rate and seed: the runs a stable range is measured over.</summary>
    public required string GroupId { get; init; }

    public required Problem Problem { get; init; }

    public required InitSpec Init { get; init; }

    public required OptimizerSpec Optimizer { get; init; }

    public required ScheduleSpec Schedule { get; init; }

    public required double LearningRate { get; init; }

    /// <summary>Null when the run does not clip.</summary>
    public required ClipSpec? Clip { get; init; }

    public required int Steps { get; init; }

    public required int Seed { get; init; }

    /// <summary>Added by bisection on the learning rate, not part of the config's grid.</summary>
    public bool IsRefinement { get; init; }
}
