using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Training;
using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>
/// The runs and curves tables of one sweep. The built-in models' sweeps have <see cref="RunColumns"/> and
/// <see cref="CurveColumns"/>; a command trainer's sweep has those runs columns, then <see cref="CommandColumns"/>, one
/// <c>param_&lt;name&gt;</c> column per user parameter and one <c>metric_&lt;name&gt;</c> per declared metric, and its
/// own curves (<see cref="CommandCurveColumns"/>, then the metrics).
/// </summary>
/// <remarks>
/// The config decides the columns, so every part of a sweep (its resumes, its shards) has the same ones and the
/// parts read as one table; and a stored part's own schema gives them back, so a report needs no config.
/// </remarks>
public sealed class RunSchema
{
    private RunSchema(IReadOnlyList<RowColumn<RunResult>> runs, IReadOnlyList<RowColumn<CurveResult>> curves, bool command, IReadOnlyList<(string, RowColumn<RunResult>)> parameters)
    {
        Runs = new Table<RunResult>(runs);
        Curves = new Table<CurveResult>(curves);
        Command = command;
        Params = parameters;
    }

    /// <summary>The built-in models' tables.</summary>
    public static RunSchema Builtin { get; } = new(RunColumns.All, CurveColumns.All, command: false, []);

    public Table<RunResult> Runs { get; }

    public Table<CurveResult> Curves { get; }

    /// <summary>A command trainer's sweep.</summary>
    public bool Command { get; }

    /// <summary>Each user parameter's name and column, in the config's order.</summary>
    public IReadOnlyList<(string Name, RowColumn<RunResult> Column)> Params { get; }

    /// <summary>The tables of <paramref name="config"/>'s sweep.</summary>
    public static RunSchema For(SweepConfig config)
    {
        if (config.Trainer is not { } trainer)
        {
            return Builtin;
        }

        var parameters = config.Parameters
            .Select((name, i) => (name, CommandColumns.Param(name, i, ParamValue.KindOf(((Axis<ParamValue>)config.Axes[name]).Values))))
            .ToList();
        return new RunSchema(
            [.. RunColumns.All, .. CommandColumns.All, .. parameters.Select(p => p.Item2), .. trainer.Metrics.Select(CommandColumns.Metric)],
            [.. CommandCurveColumns.All, .. trainer.Metrics.Select(CommandCurveColumns.Metric)],
            command: true,
            parameters);
    }

    /// <summary>The tables of the sweep whose runs part is at <paramref name="runsPart"/>, from that file's own schema.</summary>
    public static async Task<RunSchema> ReadAsync(string runsPart, CancellationToken ct)
    {
        ParquetSchema schema;
        await using (var stream = File.OpenRead(runsPart))
        await using (var reader = await ParquetReader.CreateAsync(stream, ParquetSettings.Options, cancellationToken: ct))
        {
            schema = reader.Schema;
        }

        var fields = schema.GetDataFields();
        if (!fields.Any(f => f.Name == CommandColumns.ExitCode.Name))
        {
            return Builtin;
        }

        var parameters = fields.Where(f => f.Name.StartsWith(CommandColumns.ParamPrefix, StringComparison.Ordinal))
            .Select((f, i) =>
            {
                var name = f.Name[CommandColumns.ParamPrefix.Length..];
                var kind = f.ClrType == typeof(long) ? ParamKind.Whole : f.ClrType == typeof(double) ? ParamKind.Number : ParamKind.Text;
                return (name, CommandColumns.Param(name, i, kind));
            })
            .ToList();
        var metrics = fields.Where(f => f.Name.StartsWith(CommandColumns.MetricPrefix, StringComparison.Ordinal))
            .Select(f => f.Name[CommandColumns.MetricPrefix.Length..]).ToList();
        return new RunSchema(
            [.. RunColumns.All, .. CommandColumns.All, .. parameters.Select(p => p.Item2), .. metrics.Select(CommandColumns.Metric)],
            [.. CommandCurveColumns.All, .. metrics.Select(CommandCurveColumns.Metric)],
            command: true,
            parameters);
    }

    /// <summary>Writes the curves of the given runs as one curves file: the built-in models' streamed from the outcomes in row groups, a command's as one chunk.</summary>
    public Task WriteCurvesAsync(Stream stream, IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes, CancellationToken ct) =>
        Command ? Curves.WriteAsync(stream, CurveChunk(runs, outcomes), ct, CurvesFile.RowGroupRows) : CurvesFile.WriteAsync(stream, runs, outcomes, ct);

    /// <summary>The curve rows of the given runs, in order, as a chunk of every curves column.</summary>
    public Chunk<CurveResult> CurveChunk(IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes) =>
        Command ? CommandCurveColumns.Chunk(runs, outcomes, Curves.Columns) : CurveColumns.Chunk(runs, outcomes);
}
