using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// Gathers stored rows into groups as they stream past, keeping only <see cref="RunPoint"/>s, so memory grows by tens
/// of bytes a run.
/// </summary>
internal sealed class GroupCollector(RunSchema schema)
{
    private readonly Dictionary<RunId, GroupRuns> groups = [];

    /// <summary>
    /// The tables whose columns this collector reads: chunks given to it must be read with these columns.
    /// </summary>
    public RunSchema Schema => schema;

    /// <summary>The run columns the analysis reads of every sweep, besides its setting's.</summary>
    private static readonly string[] BaseColumns =
    [
        RunColumns.RunId.Name, RunColumns.GroupId.Name, RunColumns.RunIndex.Name, RunColumns.Refinement.Name, Seed, RunColumns.LearningRate.Name,
        RunColumns.Status.Name, RunColumns.ConvergedAtStep.Name, RunColumns.FinalLoss.Name, RunColumns.FinalLossOriginal.Name, Steps, Samples, Features,
        RunColumns.LrCrit.Name, RunColumns.InitialGradientNorm.Name,
    ];

    // The axes' columns the analysis reads, by the names their axes store them under.
    private const string Seed = "seed";
    private const string Steps = "steps";
    private const string Samples = "samples";
    private const string Features = "features";

    /// <summary>
    /// The names of the run columns the analysis reads of this sweep: its setting's, and a command trainer's sharpness
    /// or the built-in models' spectrum.
    /// </summary>
    public IReadOnlyCollection<string> Columns { get; } =
    [
        .. schema.Setting.Columns.Select(c => c.Name), .. BaseColumns,
        .. schema.Command
            ? (string[])[CommandColumns.Sharpness0.Name, CommandColumns.SharpnessMin.Name, CommandColumns.SharpnessRatioMax.Name]
            :
            [
                BuiltinColumns.InitialGradient.Name, BuiltinColumns.LambdaMax.Name, BuiltinColumns.LambdaMin.Name, BuiltinColumns.ConditionNumber.Name,
                BuiltinColumns.PredictedConvergedAtStep.Name, BuiltinColumns.StepsToArrive.Name, BuiltinColumns.FastestLr.Name,
                BuiltinColumns.FastestLrSteps.Name, BuiltinColumns.LrFinite.Name,
            ],
    ];

    /// <param name="ids">The chunk's run ids when the caller has them (the rows it just wrote); parsed from the chunk
    /// otherwise.</param>
    /// <param name="statuses">The chunk's statuses, likewise.</param>
    public void Add(Chunk<RunResult> chunk, string source, RunId[]? ids = null, RunStatus[]? statuses = null)
    {
        ids ??= RunsFile.Ids(chunk, source);
        statuses ??= RunsFile.Statuses(chunk, source);
        var groupIds = Array.ConvertAll(chunk.Get(RunColumns.GroupId), g => RunId.TryParse(g, out var id) ? id
            : throw new InvalidDataException($"{source}: '{g}' is not a group id; the file is damaged"));
        var indices = chunk.Get(RunColumns.RunIndex);
        var rates = chunk.Get(RunColumns.LearningRate);
        var seeds = chunk.Get<int>(Seed);
        var refinement = chunk.Get(RunColumns.Refinement);
        var converged = chunk.Get(RunColumns.ConvergedAtStep);
        var finalLoss = chunk.Get(RunColumns.FinalLoss);
        var finalOriginal = chunk.Get(RunColumns.FinalLossOriginal);
        var steps = chunk.Get<int>(Steps);
        var crits = chunk.Get(RunColumns.LrCrit);
        var predicted = schema.Command ? null : chunk.Get(BuiltinColumns.PredictedConvergedAtStep);
        var arrive = schema.Command ? null : chunk.Get(BuiltinColumns.StepsToArrive);
        for (var i = 0; i < chunk.Count; i++)
        {
            var needed = statuses[i] == RunStatus.InTransit ? arrive?[i] : predicted?[i];
            var point = new RunPoint(ids[i], indices[i], rates[i], seeds[i], statuses[i], refinement[i], converged[i], finalLoss[i], finalOriginal[i], steps[i], needed);
            if (!groups.TryGetValue(groupIds[i], out var group))
            {
                groups[groupIds[i]] = group = new GroupRuns(groupIds[i], Setting.Of(chunk, i, schema.Setting), Figures(chunk, i), point.Index);
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

    /// <summary>
    /// The groups in the config's order (by their first run), each one's points in grid order whatever order they came
    /// in.
    /// </summary>
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

    private ProblemFigures Figures(Chunk<RunResult> chunk, int i) => schema.Command
        ? new(chunk.Get<int>(Samples)[i], chunk.Get<int>(Features)[i], null, null, null, null, chunk.Get(RunColumns.LrCrit)[i])
        {
            InitialGradientNorm = chunk.Get(RunColumns.InitialGradientNorm)[i],
        }
        : new(chunk.Get<int>(Samples)[i], chunk.Get<int>(Features)[i], chunk.Get(BuiltinColumns.InitialGradient)[i],
            chunk.Get(BuiltinColumns.LambdaMax)[i], chunk.Get(BuiltinColumns.LambdaMin)[i], chunk.Get(BuiltinColumns.ConditionNumber)[i], chunk.Get(RunColumns.LrCrit)[i])
        {
            InitialGradientNorm = chunk.Get(RunColumns.InitialGradientNorm)[i],
            FastestLr = chunk.Get(BuiltinColumns.FastestLr)[i],
            FastestLrSteps = chunk.Get(BuiltinColumns.FastestLrSteps)[i],
            LrFinite = chunk.Get(BuiltinColumns.LrFinite)[i],
        };
}
