using System.Text.Json;
using System.Text.Json.Nodes;
using GdSweeps.Configs;

namespace GdSweeps.Results;

/// <summary>
/// One column of a setting: its name, stored type, meaning and what null means, as the axis declared it.
/// </summary>
internal sealed record SettingColumn(string Name, Type Type, string Meaning, string? NullMeans);

/// <summary>
/// How a sweep names its groups: each axis that fixes a group (all but the seeds and learning rates, and only those its
/// trainer reads) with its setting columns. Built from a config's axes; every runs part and summary file carries it as
/// metadata (<see cref="MetadataKey"/>), so a folder is read back without the config or the code of its axes.
/// </summary>
internal sealed class SettingSchema
{
    /// <summary>The key of the Parquet metadata that holds a file's setting schema as JSON.</summary>
    public const string MetadataKey = "gdsweeps.setting";

    private readonly Dictionary<string, int> index;

    public SettingSchema(IReadOnlyList<SettingAxis> axes, IReadOnlyList<SettingColumn> columns)
    {
        Axes = axes;
        Columns = columns;
        index = columns.Select((c, i) => (c.Name, i)).ToDictionary();
    }

    public IReadOnlyList<SettingAxis> Axes { get; }

    /// <summary>Every setting column of every axis, in axis order.</summary>
    public IReadOnlyList<SettingColumn> Columns { get; }

    /// <summary>
    /// Where column <paramref name="name"/> is in <see cref="Columns"/>; -1 when the setting has none.
    /// </summary>
    public int IndexOf(string name) => index.GetValueOrDefault(name, -1);

    /// <summary>
    /// The setting of <paramref name="config"/>'s sweep: every axis that names a group and that its trainer reads.
    /// </summary>
    public static SettingSchema For(SweepConfig config)
    {
        var axes = config.Axes.All.Where(a => a.Setting is not null && !(config.Trainer is not null && a.Kind.BuiltInOnly)).ToList();
        return new(
            [.. axes.Select(a => a.Setting!)],
            [.. axes.SelectMany(a => a.Columns.Where(c => a.Setting!.Columns.Contains(c.Name)).Select(c => new SettingColumn(c.Name, c.Type, c.Meaning, c.NullMeans)))]);
    }

    /// <summary>
    /// The same without <paramref name="axis"/>'s columns (the transfer question's setting, across datasets).
    /// </summary>
    public SettingSchema Without(string axis) => without.GetOrAdd(axis, name =>
    {
        var gone = Axes.FirstOrDefault(a => a.Axis == name);
        return gone is null ? this : new([.. Axes.Where(a => a != gone)], [.. Columns.Where(c => !gone.Columns.Contains(c.Name))]);
    });

    // Made once per axis: every group's setting asks for the same one (ten thousand groups made ten thousand schemas).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SettingSchema> without = new(StringComparer.Ordinal);

    /// <summary>The setting across datasets (the transfer question's).</summary>
    public SettingSchema WithoutDataset() => Without(SweepAxes.Datasets.Name);

    public string ToJson() => new JsonObject
    {
        ["axes"] = new JsonArray([.. Axes.Select(a => (JsonNode)new JsonObject
        {
            ["axis"] = a.Axis,
            ["header"] = a.Header,
            ["named"] = a.Named,
            ["label"] = a.Label,
            ["columns"] = new JsonArray([.. a.Columns.Select(c => (JsonNode)JsonValue.Create(c)!)]),
        })]),
        ["columns"] = new JsonArray([.. Columns.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["type"] = TypeName(c.Type),
            ["nullable"] = c.NullMeans is not null,
            ["meaning"] = c.Meaning,
            ["null_means"] = c.NullMeans,
        })]),
    }.ToJsonString();

    /// <summary>The setting schema a file's metadata holds.</summary>
    /// <exception cref="InvalidDataException">The file has none (written by a version before it, or not by GdSweeps),
    /// or it does not read.</exception>
    public static SettingSchema FromMetadata(IReadOnlyDictionary<string, string> metadata, string file)
    {
        if (!metadata.TryGetValue(MetadataKey, out var json))
        {
            throw new InvalidDataException($"{file} does not say how its runs are grouped (no '{MetadataKey}' metadata): it was written by an older GdSweeps or another program; run the sweep again");
        }

        try
        {
            var root = JsonNode.Parse(json)!.AsObject();
            var axes = root["axes"]!.AsArray().Select(a => new SettingAxis(
                (string)a!["axis"]!, (string)a["header"]!, (bool)a["named"]!, (string)a["label"]!, [.. a["columns"]!.AsArray().Select(c => (string)c!)])).ToList();
            var columns = root["columns"]!.AsArray().Select(c => new SettingColumn(
                (string)c!["name"]!, TypeOf((string)c["type"]!, (bool)c["nullable"]!), (string)c["meaning"]!, (string?)c["null_means"])).ToList();
            return new SettingSchema(axes, columns);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{file}: its '{MetadataKey}' metadata does not read ({e.Message}); the file is damaged", e);
        }
    }

    private static string TypeName(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "string",
        var t when t == typeof(int) => "int32",
        var t when t == typeof(long) => "int64",
        var t when t == typeof(double) => "double",
        var t when t == typeof(bool) => "boolean",
        var t => throw new ArgumentException($"{t.Name} is not a stored type", nameof(type)),
    };

    private static Type TypeOf(string name, bool nullable)
    {
        var type = name switch
        {
            "string" => typeof(string),
            "int32" => typeof(int),
            "int64" => typeof(long),
            "double" => typeof(double),
            "boolean" => typeof(bool),
            _ => throw new FormatException($"'{name}' is not a stored type"),
        };
        return Results.Columns.Nullable(type, nullable);
    }
}
