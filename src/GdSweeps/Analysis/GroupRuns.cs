using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>What the analysis keeps of one run: its learning rate, seed and outcome, in a few words of memory.</summary>
/// <remarks>Packed to 56 bytes (a million runs are 56 MB): the optional numbers are kept as a sentinel and given back as null.</remarks>
public readonly struct RunPoint(
    RunId id, long index, double learningRate, int seed, RunStatus status, bool refinement, int? convergedAtStep,
    double finalLoss, double? finalLossOriginal, int steps)
{
    private readonly double finalLossOriginal = finalLossOriginal ?? double.NaN;
    private readonly int convergedAtStep = convergedAtStep ?? -1;

    public RunId Id { get; } = id;

    public long Index { get; } = index;

    public double LearningRate { get; } = learningRate;

    public double FinalLoss { get; } = finalLoss;

    public int Seed { get; } = seed;

    public int Steps { get; } = steps;

    public RunStatus Status { get; } = status;

    public bool Refinement { get; } = refinement;

    public int? ConvergedAtStep => convergedAtStep < 0 ? null : convergedAtStep;

    /// <summary>The final loss in the original units of y; null when there is none (a diverged or failed run).</summary>
    public double? FinalLossOriginal => double.IsNaN(finalLossOriginal) ? null : finalLossOriginal;
}

/// <summary>What every run of a group shares besides its setting: the problem's figures and the analytic bound.</summary>
public sealed record ProblemFigures(
    int Samples, int Features, double? InitialGradient, double? LambdaMax, double? LambdaMin, double? ConditionNumber, double? LrCrit);

/// <summary>What a command's run said about its sharpness, against <c>2/lr</c>: the largest and smallest ratio <c>sharpness * lr / 2</c> it reported.</summary>
public readonly record struct SharpnessPoint(double LearningRate, RunStatus Status, double? Sharpness0, double? RatioMax, double? RatioMin);

/// <summary>The runs of one group (same setting; learning rate and seed vary): the setting, the figures, and every run as a point.</summary>
public sealed class GroupRuns(RunId groupId, Setting setting, ProblemFigures figures, long firstIndex)
{
    private ProblemFigures figures = figures;
    private double? lrCrit = figures.LrCrit;

    public RunId GroupId { get; } = groupId;

    public Setting Setting { get; } = setting;

    /// <summary>The figures of the group's first run, with the smallest bound of any of its runs (a command's runs each have their own, one per seed).</summary>
    public ProblemFigures Figures => figures with { LrCrit = lrCrit };

    /// <summary>The group's first run in grid order, which orders groups as the config does.</summary>
    public long FirstIndex { get; private set; } = firstIndex;

    public List<RunPoint> Points { get; } = [];

    /// <summary>For a command trainer's sweep, each run's sharpness against <c>2/lr</c>; empty otherwise.</summary>
    public List<SharpnessPoint> Sharpness { get; } = [];

    /// <param name="firstFigures">The run's figures when it comes before the group's first run so far (null otherwise: made only when needed).</param>
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

/// <summary>Gathers stored rows into groups as they stream past, keeping only <see cref="RunPoint"/>s, so memory grows by tens of bytes a run.</summary>
public sealed class GroupCollector(RunSchema schema)
{
    private readonly Dictionary<RunId, GroupRuns> groups = [];

    /// <summary>The tables whose columns this collector reads: chunks given to it must be read with these columns.</summary>
    public RunSchema Schema => schema;

    /// <summary>The run columns the analysis reads of every sweep.</summary>
    public static IReadOnlyList<Column> BaseColumns { get; } =
    [
        .. Setting.Columns, RunColumns.RunId, RunColumns.GroupId, RunColumns.RunIndex, RunColumns.Refinement, RunColumns.Seed,
        RunColumns.LearningRate, RunColumns.Status, RunColumns.ConvergedAtStep, RunColumns.FinalLoss, RunColumns.FinalLossOriginal,
        RunColumns.Samples, RunColumns.Features, RunColumns.InitialGradient, RunColumns.LambdaMax, RunColumns.LambdaMin,
        RunColumns.ConditionNumber, RunColumns.LrCrit,
    ];

    /// <summary>The run columns the analysis reads of this sweep: a command trainer's adds its parameters and its sharpness.</summary>
    public IReadOnlyList<Column> Columns { get; } = schema.Command
        ? [.. BaseColumns, .. schema.Params.Select(p => p.Column), CommandColumns.Sharpness0, CommandColumns.SharpnessMin, CommandColumns.SharpnessRatioMax]
        : BaseColumns;

    /// <param name="ids">The chunk's run ids when the caller has them (the rows it just wrote); parsed from the chunk otherwise.</param>
    /// <param name="statuses">The chunk's statuses, likewise.</param>
    public void Add(Chunk<RunResult> chunk, string source, RunId[]? ids = null, RunStatus[]? statuses = null)
    {
        ids ??= RunsFile.Ids(chunk, source);
        statuses ??= RunsFile.Statuses(chunk, source);
        var groupIds = Array.ConvertAll(chunk.Get(RunColumns.GroupId), g => RunId.TryParse(g, out var id) ? id
            : throw new InvalidDataException($"{source}: '{g}' is not a group id; the file is damaged"));
        var indices = chunk.Get(RunColumns.RunIndex);
        var rates = chunk.Get(RunColumns.LearningRate);
        var seeds = chunk.Get(RunColumns.Seed);
        var refinement = chunk.Get(RunColumns.Refinement);
        var converged = chunk.Get(RunColumns.ConvergedAtStep);
        var finalLoss = chunk.Get(RunColumns.FinalLoss);
        var finalOriginal = chunk.Get(RunColumns.FinalLossOriginal);
        var steps = chunk.Get(RunColumns.Steps);
        var crits = chunk.Get(RunColumns.LrCrit);
        for (var i = 0; i < chunk.Count; i++)
        {
            var point = new RunPoint(ids[i], indices[i], rates[i], seeds[i], statuses[i], refinement[i], converged[i], finalLoss[i], finalOriginal[i], steps[i]);
            if (!groups.TryGetValue(groupIds[i], out var group))
            {
                groups[groupIds[i]] = group = new GroupRuns(groupIds[i], Setting.Of(chunk, i, schema), Figures(chunk, i), point.Index);
            }

            group.Add(point, crits[i], point.Index < group.FirstIndex ? Figures(chunk, i) : null);
            if (schema.Command)
            {
                var least = chunk.Get(CommandColumns.SharpnessMin)[i];
                group.Sharpness.Add(new SharpnessPoint(
                    rates[i], statuses[i], chunk.Get(CommandColumns.Sharpness0)[i], chunk.Get(CommandColumns.SharpnessRatioMax)[i], least * rates[i] / 2));
            }
        }
    }

    /// <summary>The groups in the config's order (by their first run).</summary>
    /// <summary>The groups in the config's order (by their first run), each one's points in grid order whatever order they came in.</summary>
    public List<GroupRuns> Groups
    {
        get
        {
            foreach (var group in groups.Values)
            {
                // Parts arrive in any order from parallel writers, but each part's runs in order: sort only when needed.
                var points = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(group.Points);
                var inOrder = true;
                for (var i = 1; i < points.Length && inOrder; i++)
                {
                    inOrder = points[i - 1].Index < points[i].Index;
                }

                if (!inOrder)
                {
                    points.Sort((a, b) => a.Index.CompareTo(b.Index));
                }
            }

            return [.. groups.Values.OrderBy(g => g.FirstIndex)];
        }
    }

    private static ProblemFigures Figures(Chunk<RunResult> chunk, int i) => new(
        chunk.Get(RunColumns.Samples)[i], chunk.Get(RunColumns.Features)[i], chunk.Get(RunColumns.InitialGradient)[i],
        chunk.Get(RunColumns.LambdaMax)[i], chunk.Get(RunColumns.LambdaMin)[i], chunk.Get(RunColumns.ConditionNumber)[i], chunk.Get(RunColumns.LrCrit)[i]);
}
