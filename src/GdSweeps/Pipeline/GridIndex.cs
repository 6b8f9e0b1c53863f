using GdSweeps.Configs;
using GdSweeps.Grid;

namespace GdSweeps.Pipeline;

/// <summary>
/// What a session keeps of the grid as it streams past once: every run id in grid order and, when edges are refined,
/// each group's runs (one per seed, as templates for new learning rates) and which run ids it has at each rate.
/// </summary>
internal sealed class GridIndex(bool forRefinement)
{
    private readonly Dictionary<RunId, Group> groups = [];
    private readonly List<Group> order = [];

    public List<RunId> Ids { get; } = [];

    public IReadOnlyList<Group> Groups => order;

    /// <summary>Passes <paramref name="runs"/> through, recording each.</summary>
    public IEnumerable<RunSpec> Record(IEnumerable<RunSpec> runs)
    {
        foreach (var run in runs)
        {
            Ids.Add(run.Id);
            if (forRefinement)
            {
                if (!groups.TryGetValue(run.GroupId, out var group))
                {
                    groups[run.GroupId] = group = new Group(run.GroupId);
                    order.Add(group);
                }

                if (!group.Templates.Any(t => t.Get(SweepAxes.Seeds) == run.Get(SweepAxes.Seeds)))
                {
                    group.Templates.Add(run);
                }

                group.Rates.Add((run.LearningRate, run.Id));
            }

            yield return run;
        }
    }

    /// <summary>One group of the grid: a run per seed, and every (learning rate, run id) it holds.</summary>
    public sealed record Group(RunId Id)
    {
        public List<RunSpec> Templates { get; } = [];

        public List<(double Rate, RunId Run)> Rates { get; } = [];
    }
}
