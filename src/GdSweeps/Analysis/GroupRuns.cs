using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// The runs of one group (same setting; learning rate and seed vary): the setting, the figures, and every run as a
/// point until the group is reduced to its summary.
/// </summary>
/// <param name="points">An empty list to hold the points in (one a group reduced before let go: a group of a thousand
/// runs would otherwise grow a list of its own on the large-object heap).</param>
internal sealed class GroupRuns(RunId groupId, Setting setting, ProblemFigures figures, long firstIndex, List<RunPoint>? points = null)
{
    private ProblemFigures figures = figures;
    private double? lrCrit = figures.LrCrit;
    private List<RunPoint>? points = points ?? [];

    public RunId GroupId { get; } = groupId;

    public Setting Setting { get; } = setting;

    /// <summary>
    /// The figures of the group's first run, with the smallest bound of any of its runs (a command's runs each have
    /// their own, one per seed).
    /// </summary>
    public ProblemFigures Figures => lrCrit == figures.LrCrit ? figures : figures with { LrCrit = lrCrit };

    /// <summary>The group's first run in grid order, which orders groups as the config does.</summary>
    public long FirstIndex { get; private set; } = firstIndex;

    /// <summary>The group's last grid run (refinement runs aside) so far.</summary>
    public long LastGridIndex { get; private set; } = -1;

    /// <summary>How many of its grid runs (refinement runs aside) the group holds so far.</summary>
    public long GridRuns { get; private set; }

    /// <summary>Every run as a point, until the group is reduced and its points let go (<see cref="Release"/>).</summary>
    /// <exception cref="InvalidOperationException">The points were let go: only the group's summary is kept.</exception>
    public List<RunPoint> Points => points ?? throw new InvalidOperationException($"group {GroupId} was reduced as it completed: its runs were let go, its summary kept");

    /// <summary>Whether the group still holds its runs' points.</summary>
    public bool HasPoints => points is not null;

    /// <summary>For a command trainer's sweep, each run's sharpness against <c>2/lr</c>; empty otherwise.</summary>
    public List<SharpnessPoint> Sharpness => sharpness ??= []; // made when first read: a built-in sweep's ten thousand groups have none

    private List<SharpnessPoint>? sharpness;

    /// <summary>The group's summary, once it is reduced (<see cref="StabilityAnalysis.Reduce"/>).</summary>
    public GroupSummary? Summary { get; internal set; }

    /// <summary>
    /// When the group has an edge, its runs of the smallest seed at the two rates just below and the two just above it
    /// (what the report's loss-curve panel draws); empty otherwise or before the group is reduced.
    /// </summary>
    public IReadOnlyList<RunPoint> EdgeRuns { get; internal set; } = [];

    /// <summary>What its grid runs say of its edge, kept when it was reduced for a sweep that refines its edges.</summary>
    internal GridBracket? Bracket { get; set; }

    /// <summary>The group's rates, kept after its reduction while the transfer across datasets still needs them.</summary>
    internal List<StabilityAnalysis.Rate>? Rates { get; set; }

    /// <summary>The transfer answer of the group's setting, when the group is its setting's only one (one dataset).</summary>
    internal TransferSummary? Transfer { get; set; }

    /// <param name="firstFigures">The run's figures when it comes before the group's first run so far (null otherwise:
    /// made only when needed).</param>
    /// <exception cref="InvalidOperationException">The group was reduced already.</exception>
    internal void Add(RunPoint point, double? pointLrCrit, ProblemFigures? firstFigures)
    {
        if (Summary is not null)
        {
            throw new InvalidOperationException($"run {point.Id} came to group {GroupId} after the group was reduced");
        }

        if (point.Index < FirstIndex && firstFigures is not null)
        {
            FirstIndex = point.Index;
            figures = firstFigures;
        }

        if (!point.Refinement)
        {
            GridRuns++;
            LastGridIndex = Math.Max(LastGridIndex, point.Index);
        }

        // The tightest bound: stability at a rate needs every seed's run stable (for the built-in models every run has the same).
        lrCrit = pointLrCrit is { } c && !(lrCrit <= c) ? c : lrCrit;

        Points.Add(point);
    }

    /// <summary>Sorts the points into grid order (parts arrive in any order, each part's runs in order).</summary>
    internal void SortPoints()
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Points);
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i - 1].Index > span[i].Index)
            {
                span.Sort((a, b) => a.Index.CompareTo(b.Index));
                return;
            }
        }
    }

    /// <summary>
    /// Lets the points (and sharpness) go once the group is reduced: only its summary and edge runs stay. Returns the
    /// list that held them, emptied, for another group.
    /// </summary>
    internal List<RunPoint>? Release()
    {
        var released = points;
        released?.Clear();
        points = null;
        sharpness = null;
        return released;
    }
}
