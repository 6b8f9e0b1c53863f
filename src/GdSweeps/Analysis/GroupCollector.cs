using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// Gathers stored rows into groups as they stream past, keeping only <see cref="RunPoint"/>s (tens of bytes a run);
/// told the grid (<see cref="ReduceAsComplete"/>), it reduces each group to its summary as soon as it holds all its
/// runs, so memory stays flat however many runs stream past.
/// </summary>
internal sealed class GroupCollector(RunSchema schema)
{
    /// <summary>
    /// How many groups keep their points once reduced, the first in the config's order: the rows the report's figures
    /// draw run by run.
    /// </summary>
    public const int KeptForFigures = 60;

    /// <summary>
    /// How many groups with an edge (a largest stable and a first unstable rate) keep the runs around it once reduced,
    /// the first in the config's order: the report's loss-curve panels.
    /// </summary>
    public const int EdgePanels = 24;

    private readonly Dictionary<RunId, GroupRuns> groups = [];
    private readonly long[] counts = new long[RunStatuses.All.Count];
    private readonly List<string> sources = [];
    private readonly SharedValues shared = new();
    private readonly Stack<List<RunPoint>> spareLists = new(); // the point lists of groups let go, for new groups
    private Completion? completion;

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

    /// <summary>How many runs ended in each status, of every run added.</summary>
    public IReadOnlyDictionary<RunStatus, long> Counts => RunStatuses.All.ToDictionary(s => s, s => counts[(int)s]);

    /// <summary>
    /// Whether reducing groups as they complete went wrong: a run came to a group already reduced, or a group reduced
    /// shares its setting with another, whose transfer answer then needs both groups' runs. The analysis must then be
    /// made again from the stored runs, without reducing early.
    /// </summary>
    public bool NeedsRereading { get; private set; }

    /// <summary>
    /// Reduces each group as soon as it holds all its grid runs, letting its points go (but for the first
    /// <see cref="KeptForFigures"/> groups'). Only for a grid without refinement (its runs come after their groups
    /// completed): the grid's runs are numbered 0 to <paramref name="gridRuns"/> - 1, each group's consecutively (the
    /// learning rate and seed vary fastest), so a group holds all its runs once it has one for every index between its
    /// first and last and the runs just outside both are stored (another group's).
    /// </summary>
    /// <param name="oneDataset">The sweep has one dataset: each setting's transfer answer is its group's own.</param>
    /// <param name="brackets">Keep each group's <see cref="GridBracket"/> as it is reduced (<see cref="BracketOf"/>):
    /// the refinement's starting points. A refinement run then comes to a group already reduced, and the analysis is
    /// made again (<see cref="NeedsRereading"/>; read refinement parts first, <see cref="Again"/>).</param>
    public void ReduceAsComplete(long gridRuns, bool oneDataset, bool brackets = false) => completion = new Completion(gridRuns, oneDataset, brackets);

    /// <summary>
    /// A new, empty collector reducing its groups as this one does (without keeping brackets): for reading every run
    /// again when this one <see cref="NeedsRereading"/>. Its groups still reduce early when each group's refinement
    /// runs (the table's last parts) are read before its grid runs.
    /// </summary>
    public GroupCollector Again()
    {
        var again = new GroupCollector(schema);
        if (completion is not null)
        {
            again.ReduceAsComplete(completion.GridRuns, completion.OneDataset);
        }

        return again;
    }

    /// <summary>
    /// What the grid's runs of group <paramref name="groupId"/> say of its edge: kept when the group was reduced
    /// (<see cref="ReduceAsComplete"/> with brackets), made from its points otherwise; null for a group with no run
    /// here.
    /// </summary>
    /// <exception cref="InvalidOperationException">The group was reduced without keeping its bracket.</exception>
    public GridBracket? BracketOf(RunId groupId) =>
        !groups.TryGetValue(groupId, out var group) ? null
        : group.HasPoints ? GridBracket.Of(group.Points)
        : group.Bracket ?? throw new InvalidOperationException($"group {groupId} was reduced without its bracket");

    /// <param name="ids">The chunk's run ids when the caller has them (the rows it just wrote); parsed from the chunk
    /// otherwise.</param>
    /// <param name="statuses">The chunk's statuses, likewise.</param>
    /// <summary>The group ids of a chunk's rows, each text parsed once for the rows that share it in a row.</summary>
    private static RunId[] GroupIds(string?[] texts, string source)
    {
        var ids = new RunId[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            ids[i] = i > 0 && string.Equals(texts[i], texts[i - 1], StringComparison.Ordinal) ? ids[i - 1]
                : RunId.TryParse(texts[i], out var id) ? id
                : throw new InvalidDataException($"{source}: '{texts[i]}' is not a group id; the file is damaged");
        }

        return ids;
    }

    public void Add(Chunk<RunResult> chunk, string source, RunId[]? ids = null, RunStatus[]? statuses = null)
    {
        ids ??= RunsFile.Ids(chunk, source);
        statuses ??= RunsFile.Statuses(chunk, source);
        var groupIds = GroupIds(chunk.Get(RunColumns.GroupId), source);
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
        sources.Add(source);
        GroupRuns? last = null;
        for (var i = 0; i < chunk.Count; i++)
        {
            var needed = statuses[i] == RunStatus.InTransit ? arrive?[i] : predicted?[i];
            var point = new RunPoint(ids[i], indices[i], rates[i], seeds[i], statuses[i], refinement[i], converged[i], finalLoss[i], finalOriginal[i], steps[i], needed, sources.Count - 1);
            if (!groups.TryGetValue(groupIds[i], out var group))
            {
                groups[groupIds[i]] = group = new GroupRuns(groupIds[i], Setting.Of(chunk, i, schema.Setting, shared), Figures(chunk, i), point.Index, spareLists.TryPop(out var list) ? list : null);
            }

            if (group.Summary is not null)
            {
                // A run of a group already reduced (an earlier config's part not yet replaced, numbered by its own
                // grid): the analysis must be made again from the stored runs, without reducing early.
                NeedsRereading = true;
                continue;
            }

            group.Add(point, crits[i], point.Index < group.FirstIndex ? Figures(chunk, i) : null);
            counts[(int)statuses[i]]++;
            if (completion is not null && !ReferenceEquals(group, last))
            {
                completion.Open.Add(group);
                last = group;
            }

            if (completion is not null && !refinement[i])
            {
                completion.Stored.Add(indices[i]);
            }

            if (schema.Command)
            {
                var least = chunk.Get(CommandColumns.SharpnessMin)[i];
                group.Sharpness.Add(new SharpnessPoint(
                    rates[i], statuses[i], chunk.Get(CommandColumns.Sharpness0)[i], chunk.Get(CommandColumns.SharpnessRatioMax)[i], least * rates[i] / 2));
            }
        }

        if (completion is not null)
        {
            ReduceComplete(completion);
        }
    }

    /// <summary>
    /// Adds every run of the stored runs file at <paramref name="path"/> (named so in <see cref="SourceOf"/>), one row
    /// group at a time, only the columns the analysis reads.
    /// </summary>
    public async Task ReadAsync(string path, CancellationToken ct)
    {
        await using var stream = StoredFiles.OpenRead(path);
        await schema.Runs.ForEachRowGroupAsync(stream, chunk =>
        {
            Add(chunk, path);
            return Task.CompletedTask;
        }, Columns, ct);
    }

    /// <summary>
    /// The groups in the config's order (by their first run), each one's points (while it holds them) in grid order
    /// whatever order they came in.
    /// </summary>
    public List<GroupRuns> Groups
    {
        get
        {
            foreach (var group in groups.Values.Where(g => g.HasPoints))
            {
                group.SortPoints();
            }

            return [.. groups.Values.OrderBy(g => g.FirstIndex)];
        }
    }

    /// <summary>The stored part a run was read from, as it was named to <see cref="Add"/>.</summary>
    public string SourceOf(RunPoint run) => sources[run.Source];

    /// <summary>The analysis of every run added.</summary>
    public SweepAnalysis Analyze() => StabilityAnalysis.Analyze(Groups, Counts, schema.Command);

    /// <summary>Reduces the open groups that hold all their runs now.</summary>
    private void ReduceComplete(Completion state)
    {
        state.Open.RemoveWhere(group =>
        {
            if (group.Summary is not null)
            {
                return true;
            }

            var (first, last) = (group.FirstIndex, group.LastGridIndex);
            if (group.GridRuns != last - first + 1 || !(first == 0 || state.Stored.Contains(first - 1)) || !(last == state.GridRuns - 1 || state.Stored.Contains(last + 1)))
            {
                return false;
            }

            if (state.Brackets)
            {
                group.Bracket = GridBracket.Of(group.Points);
            }

            var rates = StabilityAnalysis.Reduce(group);
            if (!state.OneDataset)
            {
                group.Rates = rates;
            }
            else if (state.Answered.Add(group.Setting.WithoutDataset))
            {
                group.Transfer = StabilityAnalysis.TransferOfOne(group, rates);
            }
            else
            {
                NeedsRereading = true;
            }

            // Only the first groups with an edge in the config's order have their edge's runs drawn (the report's
            // loss-curve panels); the others let them go.
            if (group.Summary is { HasEdge: true })
            {
                state.Edged.Add(group);
                if (state.Edged.Count > EdgePanels)
                {
                    var after = state.Edged.Max!;
                    state.Edged.Remove(after);
                    after.EdgeRuns = [];
                }
            }

            // The first groups in the config's order keep their points for the figures; the others let them go.
            state.Kept.Add(group);
            if (state.Kept.Count > KeptForFigures)
            {
                var after = state.Kept.Max!;
                state.Kept.Remove(after);
                if (after.Release() is { } list)
                {
                    spareLists.Push(list);
                }
            }

            return true;
        });
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

    /// <summary>What reducing groups as they complete keeps track of.</summary>
    private sealed class Completion(long gridRuns, bool oneDataset, bool brackets)
    {
        public long GridRuns { get; } = gridRuns;

        public bool OneDataset { get; } = oneDataset;

        public bool Brackets { get; } = brackets;

        /// <summary>The grid indices stored so far.</summary>
        public IndexRanges Stored { get; } = new();

        /// <summary>The groups not reduced yet that runs came to.</summary>
        public HashSet<GroupRuns> Open { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>The settings whose transfer answer a reduced group gave.</summary>
        public HashSet<Setting> Answered { get; } = [];

        /// <summary>The reduced groups keeping their points, the first in grid order.</summary>
        public SortedSet<GroupRuns> Kept { get; } = new(InGridOrder);

        /// <summary>The reduced groups with an edge keeping the runs around it, the first in grid order.</summary>
        public SortedSet<GroupRuns> Edged { get; } = new(InGridOrder);

        private static Comparer<GroupRuns> InGridOrder { get; } = Comparer<GroupRuns>.Create((a, b) => a.FirstIndex.CompareTo(b.FirstIndex));
    }
}
