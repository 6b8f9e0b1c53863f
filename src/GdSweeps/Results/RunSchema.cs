using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary>
/// The runs and curves tables of one sweep. Its runs columns are three sets in order: the ones every sweep has
/// (<see cref="RunColumns"/>: ids, then after the axes the learning rate and what every trainer measures), each axis's
/// own (declared beside its reader; a command trainer's sweep has none of the built-in models' axes), and the trainer's
/// (<see cref="BuiltinColumns"/>, or <see cref="CommandColumns"/> and one <c>metric_&lt;name&gt;</c> per declared
/// metric).
/// </summary>
/// <remarks>
/// The config decides the columns, so every part of a sweep (its resumes, its shards) has the same ones and the parts
/// read as one table; every runs part carries the sweep's <see cref="SettingSchema"/>, so a stored part gives its
/// tables back and a report needs no config.
/// </remarks>
internal sealed class RunSchema
{
    private RunSchema(IReadOnlyList<RowColumn<RunResult>> runs, IReadOnlyList<RowColumn<CurveResult>> curves, bool command, SettingSchema setting)
    {
        Runs = new Table<RunResult>(runs, new Dictionary<string, string> { [SettingSchema.MetadataKey] = setting.ToJson() });
        Curves = new Table<CurveResult>(curves);
        Command = command;
        Setting = setting;
    }

    /// <summary>The tables of a folder with no runs stored: the built-in models' columns, and no setting.</summary>
    public static RunSchema NoRuns { get; } = new(
        [.. RunColumns.Ids, RunColumns.LearningRate, .. RunColumns.Outcome, .. BuiltinColumns.All], CurveColumns.All, command: false, new SettingSchema([], []));

    public Table<RunResult> Runs { get; }

    public Table<CurveResult> Curves { get; }

    /// <summary>A command trainer's sweep.</summary>
    public bool Command { get; }

    /// <summary>How the sweep names its groups: the axes and columns of a setting.</summary>
    public SettingSchema Setting { get; }

    /// <summary>The tables of <paramref name="config"/>'s sweep.</summary>
    public static RunSchema For(SweepConfig config)
    {
        var command = config.Trainer is not null;
        var axes = config.Axes.All.Select((axis, at) => (axis, at)).Where(a => !(command && a.axis.Kind.BuiltInOnly));
        List<RowColumn<RunResult>> runs =
        [
            .. RunColumns.Ids,
            .. axes.SelectMany(a => a.axis.Columns.Select(c => Columns.Indexed<RunResult>(c.Name, c.ValuesOf(a.axis), r => r.Spec.Point[a.at], c.Meaning, c.NullMeans))),
            RunColumns.LearningRate,
            .. RunColumns.Outcome,
        ];
        var metrics = config.Trainer?.Metrics ?? [];
        return command
            ? new RunSchema(
                [.. runs, .. CommandColumns.All, .. metrics.Select(CommandColumns.Metric)],
                [.. CommandCurveColumns.All, .. metrics.Select(CommandCurveColumns.Metric)],
                command: true,
                SettingSchema.For(config))
            : new RunSchema([.. runs, .. BuiltinColumns.All], CurveColumns.All, command: false, SettingSchema.For(config));
    }

    /// <summary>
    /// The tables of the sweep whose runs part is at <paramref name="runsPart"/>, from that file's own schema and
    /// metadata.
    /// </summary>
    /// <exception cref="InvalidDataException">The part says nothing of its setting, or stores a column no GdSweeps
    /// writes.</exception>
    public static async Task<RunSchema> ReadAsync(string runsPart, CancellationToken ct)
    {
        var runs = await Tables.OfFileAsync<RunResult>(runsPart, ct);
        var setting = SettingSchema.FromMetadata(runs.Metadata, runsPart);
        var command = runs.Find(CommandColumns.ExitCode.Name) is not null;
        var metrics = runs.Columns.Select(c => c.Name).Where(n => n.StartsWith(CommandColumns.MetricPrefix, StringComparison.Ordinal))
            .Select(n => n[CommandColumns.MetricPrefix.Length..]).ToList();
        return new RunSchema(
            runs.Columns,
            command ? [.. CommandCurveColumns.All, .. metrics.Select(CommandCurveColumns.Metric)] : CurveColumns.All,
            command,
            setting);
    }

    /// <summary>
    /// Whether parts of this schema and <paramref name="other"/> read as one table: the same columns, by name and type,
    /// in order.
    /// </summary>
    public bool SameColumns(RunSchema other) =>
        Runs.Columns.Select(c => (c.Name, c.Type)).SequenceEqual(other.Runs.Columns.Select(c => (c.Name, c.Type)));

    /// <summary>
    /// Writes the curves of the given runs as one curves file: the built-in models' streamed from the outcomes in row
    /// groups, a command's as one chunk.
    /// </summary>
    public Task WriteCurvesAsync(Stream stream, IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes, CancellationToken ct) =>
        Command ? Curves.WriteAsync(stream, CurveChunk(runs, outcomes), ct, CurvesFile.RowGroupRows) : CurvesFile.WriteAsync(stream, runs, outcomes, ct);

    /// <summary>The curve rows of the given runs, in order, as a chunk of every curves column.</summary>
    public Chunk<CurveResult> CurveChunk(IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes) =>
        Command ? CommandCurveColumns.Chunk(runs, outcomes, Curves.Columns) : CurveColumns.Chunk(runs, outcomes);
}
