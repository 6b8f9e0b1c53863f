using GdSweeps.Configs;
using GdSweeps.Plan;

namespace GdSweeps.Grid;

/// <summary>
/// One run of a sweep: its value on every axis (by the axis, as <see cref="Get{T}"/>), the problem they make, where it
/// sits in the grid, and the ids that name it across reruns, resumes and shards.
/// </summary>
internal sealed record RunSpec
{
    /// <summary>Position in the grid; refinement runs follow the grid.</summary>
    public required long Index { get; init; }

    /// <summary>Hash of everything that can change the run's stored numbers (<see cref="RunIdentity"/>).</summary>
    public required RunId Id { get; init; }

    /// <summary>The same without the learning rate and seed: the runs a stable range is measured over.</summary>
    public required RunId GroupId { get; init; }

    /// <summary>The sweep's axes, in grid order.</summary>
    public required AxisSet Axes { get; init; }

    /// <summary>The index of the run's value on each axis of <see cref="Axes"/> (shared, never changed).</summary>
    public required int[] Point { get; init; }

    /// <summary>The (dataset, transform, model, loss) the run trains on, fitted once by the plan.</summary>
    public required Problem Problem { get; init; }

    /// <summary>
    /// The run's step size: its value on the learning-rate axis, or one that refinement chose between them.
    /// </summary>
    public required double LearningRate { get; init; }

    /// <summary>Added by bisection on the learning rate, not part of the config's grid.</summary>
    public bool IsRefinement { get; init; }

    /// <summary>The run's value on the axis of kind <paramref name="kind"/>.</summary>
    public T Get<T>(AxisKind<T> kind) => Axes.ValueAt(kind, Point);

    /// <summary>The run's value on the axis named <paramref name="name"/> (a user parameter's, say).</summary>
    public T Get<T>(string name)
    {
        var a = Axes.IndexOf(name);
        return ((Axis<T>)Axes.All[a]).Values[Point[a]];
    }
}
