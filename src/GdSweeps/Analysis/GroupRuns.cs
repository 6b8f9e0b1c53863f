using System.Globalization;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>What the analysis keeps of one run: its learning rate, seed and outcome, in a few words of memory.</summary>
public readonly record struct RunPoint(
    ulong Id, long Index, double LearningRate, int Seed, string Status, bool Refinement, int? ConvergedAtStep,
    double FinalLoss, double FinalLossOriginal, int Steps)
{
    public string RunId => Id.ToString("x16", CultureInfo.InvariantCulture);
}

/// <summary>The runs of one group (same setting; learning rate and seed vary): the first row's setting, and every run as a point.</summary>
public sealed class GroupRuns(RunRecord first)
{
    /// <summary>The group's first run in grid order: its setting and the problem's figures.</summary>
    public RunRecord First { get; private set; } = first;

    public List<RunPoint> Points { get; } = [];

    internal void Add(RunRecord row)
    {
        if (row.RunIndex < First.RunIndex)
        {
            First = row;
        }

        Points.Add(new RunPoint(
            StoredRuns.Key(row.RunId), row.RunIndex, row.LearningRate, row.Seed, RunStatusNames.Shared(row.Status), row.Refinement,
            row.ConvergedAtStep, row.FinalLoss, row.FinalLossOriginal, row.Steps));
    }
}

/// <summary>Gathers stored rows into groups as they stream past, keeping only <see cref="RunPoint"/>s, so memory grows by tens of bytes a run.</summary>
public sealed class GroupCollector
{
    private readonly Dictionary<string, GroupRuns> groups = new(StringComparer.Ordinal);

    public void Add(RunRecord row)
    {
        if (!groups.TryGetValue(row.GroupId, out var group))
        {
            group = new GroupRuns(row);
            groups[row.GroupId] = group;
        }

        group.Add(row);
    }

    public void AddRange(IEnumerable<RunRecord> rows)
    {
        foreach (var row in rows)
        {
            Add(row);
        }
    }

    /// <summary>The groups in the config's order (by their first run).</summary>
    public List<GroupRuns> Groups => [.. groups.Values.OrderBy(g => g.First.RunIndex)];
}
