using System.Globalization;
using GdSweeps.Configs;
using GdSweeps.Results;

namespace GdSweeps.Analysis;

/// <summary>
/// Everything a group of runs shares, as stored: every axis value but the learning rate and seed. The same record in
/// summaries, transfer rows and report labels.
/// </summary>
/// <param name="Params">A command trainer's user parameters; none for the built-in models.</param>
public sealed record Setting(
    string Dataset, string Transform, string Model, string Loss, string LossLabel, double? W0, string W0Label, double B0,
    string Optimizer, string OptimizerLabel, string Schedule, int Steps, double? Clip, string? ClipMode, ParamValues? Params = null)
{
    /// <summary>The setting's axes in grid order, each as its name and how its value reads in a table cell.</summary>
    public IReadOnlyList<(string Axis, string Value)> Values =>
    [
        ("datasets", Dataset),
        ("transforms", Transform),
        ("model", Model),
        ("loss", LossLabel),
        ("w0", W0Label),
        ("b0", B0.ToString("R", CultureInfo.InvariantCulture)),
        ("optimizer", OptimizerLabel),
        ("schedule", Schedule),
        ("steps", Steps.ToString(CultureInfo.InvariantCulture)),
        ("clip", ClipText(Clip, ClipMode)),
        .. (Params ?? ParamValues.None).Values.Select(p => (p.Name, p.Text)),
    ];

    /// <summary>The names of the user's parameters, which labels name with their value.</summary>
    public IEnumerable<string> ParamNames => (Params ?? ParamValues.None).Values.Select(p => p.Name);

    /// <summary>The same setting on every dataset: what the transfer question groups by.</summary>
    public Setting WithoutDataset => this with { Dataset = "" };

    /// <summary><c>none</c>, <c>10</c> (by norm) or <c>value 1</c>.</summary>
    public static string ClipText(double? clip, string? mode) =>
        clip is not { } c ? "none" : mode == "value" ? $"value {c.ToString("R", CultureInfo.InvariantCulture)}" : c.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The setting of row <paramref name="i"/> of a stored chunk, with the user parameters of <paramref name="schema"/>.</summary>
    public static Setting Of(Chunk<RunResult> chunk, int i, RunSchema? schema = null) => new(
        chunk.Get(RunColumns.Dataset)[i]!, chunk.Get(RunColumns.Transform)[i]!, chunk.Get(RunColumns.Model)[i]!,
        chunk.Get(RunColumns.Loss)[i]!, chunk.Get(RunColumns.LossLabel)[i]!, chunk.Get(RunColumns.W0)[i], chunk.Get(RunColumns.W0Label)[i]!,
        chunk.Get(RunColumns.B0)[i], chunk.Get(RunColumns.Optimizer)[i]!, chunk.Get(RunColumns.OptimizerLabel)[i]!,
        chunk.Get(RunColumns.Schedule)[i]!, chunk.Get(RunColumns.Steps)[i], chunk.Get(RunColumns.Clip)[i], chunk.Get(RunColumns.ClipMode)[i],
        schema is null || schema.Params.Count == 0 ? null : new ParamValues([.. schema.Params.Select(p => ParamOf(chunk, p.Column, p.Name, i))]));

    private static (string, string, ParamKind) ParamOf(Chunk<RunResult> chunk, Column column, string name, int i) => chunk.Stored(column) switch
    {
        long[] whole => (name, whole[i].ToString(CultureInfo.InvariantCulture), ParamKind.Whole),
        double[] number => (name, number[i].ToString("R", CultureInfo.InvariantCulture), ParamKind.Number),
        var text => (name, ((string?[])text)[i] ?? "", ParamKind.Text),
    };

    /// <summary>The run columns a setting is read from.</summary>
    public static IReadOnlyList<Column> Columns { get; } =
    [
        RunColumns.Dataset, RunColumns.Transform, RunColumns.Model, RunColumns.Loss, RunColumns.LossLabel, RunColumns.W0, RunColumns.W0Label,
        RunColumns.B0, RunColumns.Optimizer, RunColumns.OptimizerLabel, RunColumns.Schedule, RunColumns.Steps, RunColumns.Clip, RunColumns.ClipMode,
    ];
}

/// <summary>Names settings by the axes that vary among them, so no two different settings read the same.</summary>
public sealed class SettingLabels
{
    private readonly HashSet<string> varying;
    private readonly List<string> axes;
    private readonly HashSet<string> parameters;

    /// <param name="settings">Every setting of the sweep.</param>
    public SettingLabels(IEnumerable<Setting> settings)
    {
        var all = settings.ToList();
        axes = all.Count == 0 ? [] : [.. all[0].Values.Select(v => v.Axis)];
        parameters = all.Count == 0 ? [] : [.. all[0].ParamNames];
        varying = [.. axes.Where(axis => all.Select(s => s.Values.First(v => v.Axis == axis).Value).Distinct().Count() > 1)];
    }

    /// <summary>The axes that take more than one value, in grid order.</summary>
    public IReadOnlyList<string> Varying => [.. axes.Where(varying.Contains)];

    public bool Varies(string axis) => varying.Contains(axis);

    /// <summary>The axes a table names each row by: those that vary (but <paramref name="without"/>), or the transform when none does.</summary>
    public IReadOnlyList<string> Columns(params string[] without)
    {
        var shown = Varying.Where(a => !without.Contains(a)).ToList();
        return shown.Count > 0 ? shown : ["transforms"];
    }

    /// <summary>The setting by every varying axis (but <paramref name="without"/>), joined by " / "; numbers carry their axis's name.</summary>
    public string Label(Setting setting, params string[] without) =>
        string.Join(" / ", Columns(without).Select(axis => axis is "w0" or "b0" or "steps" or "clip" || parameters.Contains(axis) ? $"{axis} {Value(setting, axis)}" : Value(setting, axis)));

    /// <summary>The value of <paramref name="axis"/> in a setting, as a label shows it.</summary>
    public static string Value(Setting setting, string axis) => setting.Values.First(v => v.Axis == axis).Value;

    /// <summary>A table header for <paramref name="axis"/>.</summary>
    public static string Header(string axis) => axis switch
    {
        "datasets" => "dataset",
        "transforms" => "transform",
        _ => axis,
    };
}
