using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// The runs of one group (same setting; learning rate and seed vary): the setting, the figures, and every run as a
/// point.
/// </summary>
internal sealed class GroupRuns(RunId groupId, Setting setting, ProblemFigures figures, long firstIndex)
{
    private ProblemFigures figures = figures;
    private double? lrCrit = figures.LrCrit;

    public RunId GroupId { get; } = groupId;

    public Setting Setting { get; } = setting;

    /// <summary>
    /// The figures of the group's first run, with the smallest bound of any of its runs (a command's runs each have
    /// their own, one per seed).
    /// </summary>
    public ProblemFigures Figures => figures with { LrCrit = lrCrit };

    /// <summary>The group's first run in grid order, which orders groups as the config does.</summary>
    public long FirstIndex { get; private set; } = firstIndex;

    public List<RunPoint> Points { get; } = [];

    /// <summary>For a command trainer's sweep, each run's sharpness against <c>2/lr</c>; empty otherwise.</summary>
    public List<SharpnessPoint> Sharpness { get; } = [];

    /// <param name="firstFigures">The run's figures when it comes before the group's first run so far (null otherwise:
    /// made only when needed).</param>
    internal void Add(RunPoint point, double? pointLrCrit, ProblemFigures? firstFigures)
    {
        if (point.Index < FirstIndex && firstFigures is not null)
        {
            FirstIndex = point.Index;
            figures = firstFigures;
        }

        // The tightest bound: stability at a rate needs every seed's run stable (for the built-in models every run has the same).
        lrCrit = pointLrCrit is { } c && !(lrCrit <= c) ? c : lrCrit;
        Points.Add(point);
    }
}
