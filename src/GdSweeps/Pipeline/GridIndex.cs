using GdSweeps.Configs;
using GdSweeps.Grid;

namespace GdSweeps.Pipeline;

/// <summary>
/// What a session keeps of the grid as it streams past once, when edges are refined: each group's first run of each
/// seed, the templates refinement runs are made from. Nothing per run: what the grid's runs say of each edge comes
/// from the analysis (<see cref="Analysis.GroupCollector.BracketOf"/>).
/// </summary>
internal sealed class GridIndex
{
    private readonly Dictionary<RunId, Group> groups = [];
    private readonly Lock gate = new();

    /// <summary>The groups in grid order, each one's templates in grid order.</summary>
    public IReadOnlyList<Group> Groups
    {
        get
        {
            lock (gate)
            {
                foreach (var group in groups.Values)
                {
                    group.Templates.Sort((a, b) => a.Index.CompareTo(b.Index));
                }

                return [.. groups.Values.OrderBy(g => g.Templates[0].Index)];
            }
        }
    }

    /// <summary>Passes <paramref name="specs"/> through, recording each.</summary>
    public IEnumerable<RunSpec> Record(IEnumerable<RunSpec> specs)
    {
        foreach (var run in specs)
        {
            Record(run);
            yield return run;
        }
    }

    /// <summary>
    /// Records a batch of the grid's runs, built by the worker computing them: batches come in any order, from any
    /// thread, and each group keeps the first run of each seed in grid order whatever the order they came in.
    /// </summary>
    public void Record(RunSpec[] batch)
    {
        foreach (var run in batch)
        {
            Record(run);
        }
    }

    private void Record(RunSpec run)
    {
        lock (gate)
        {
            if (!groups.TryGetValue(run.GroupId, out var group))
            {
                groups[run.GroupId] = group = new Group(run.GroupId);
            }

            var seed = run.Get(SweepAxes.Seeds);
            var at = group.Templates.FindIndex(t => t.Get(SweepAxes.Seeds) == seed);
            if (at < 0)
            {
                group.Templates.Add(run);
            }
            else if (run.Index < group.Templates[at].Index)
            {
                group.Templates[at] = run;
            }
        }
    }

    /// <summary>One group of the grid: its first run of each seed.</summary>
    public sealed record Group(RunId Id)
    {
        public List<RunSpec> Templates { get; } = [];
    }
}
