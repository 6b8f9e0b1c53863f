using System.Text.Json.Nodes;
using GdSweeps.Transforms;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The preprocessing axis: a name, a pipeline <c>[log1p, standardize]</c>, or <c>{x: ..., y: ...}</c> for different
/// features and target.
/// </summary>
internal static class TransformAxis
{
    private static readonly string[] Sides = ["x", "y"];

    public static AxisKind<TransformSpec> Kind { get; } = new(
        "transforms",
        Schema(),
        (reader, node) => reader.Items(node, "transforms", (item, key) => Read(reader, item, key) is { } spec ? [spec] : Array.Empty<TransformSpec>()),
        (reader, node, key) =>
        {
            // A label such as x=log1p,y=none is not YAML for a transform; match it as written.
            if (node is YamlScalarNode { Value: { } text } && text.Contains('='))
            {
                return t => t.Label == text;
            }

            return Read(reader, node, key) is { } wanted ? t => t.Equals(wanted) : null;
        },
        t => t.Label,
        new AxisStore(
            [
                AxisColumns.Text<TransformSpec>("transform", t => t.Label, "label: `log1p`, `log1p+standardize`, or `x=...,y=...` when features and target differ"),
                AxisColumns.Text<TransformSpec>("transform_x", t => Pipeline(t.X), "the features' pipeline"),
                AxisColumns.Text<TransformSpec>("transform_y", t => Pipeline(t.Y), "the target's pipeline"),
            ],
            ["transform"],
            Header: "transform"));

    private static string Pipeline(IReadOnlyList<TransformKind> steps) => string.Join("+", steps.Select(Transform.Name));

    /// <summary>
    /// A transform is a name, a pipeline of names, or <c>{x: ..., y: ...}</c> with either side a name or a pipeline.
    /// </summary>
    private static JsonObject Schema()
    {
        JsonObject Pipeline() => Schemas.Named("pipeline", Schemas.AnyOf(Schemas.Enum(Transform.Names), Schemas.List(Schemas.Enum(Transform.Names))));
        return Schemas.OneOrList(
            Schemas.AnyOf(Pipeline(), Schemas.Object(Sides.Select(s => (s, (JsonNode)Pipeline())))),
            "required: the preprocessing, fitted on each dataset: a name, a pipeline [log1p, standardize], or {x: ..., y: ...} for features and target",
            "transform");
    }

    private static TransformSpec? Read(NodeReader reader, YamlNode item, string key)
    {
        if (item is YamlMappingNode)
        {
            var map = reader.Mapping(item, key, Sides);
            var x = map is not null && NodeReader.Child(map, "x") is { } xn ? Pipeline(reader, xn, key + ".x") : [TransformKind.None];
            var y = map is not null && NodeReader.Child(map, "y") is { } yn ? Pipeline(reader, yn, key + ".y") : [TransformKind.None];
            return map is null || x is null || y is null ? null : new TransformSpec(x, y);
        }

        return Pipeline(reader, item, key) is { } pipeline ? TransformSpec.Both([.. pipeline]) : null;
    }

    private static List<TransformKind>? Pipeline(NodeReader reader, YamlNode node, string key)
    {
        var steps = new List<TransformKind>();
        var items = node is YamlSequenceNode seq ? seq.Children : [node];
        if (items.Count == 0)
        {
            reader.Error(node, key, "an empty pipeline; write none for no transform");
            return null;
        }

        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var stepKey = node is YamlSequenceNode ? $"{key}[{i}]" : key;
            if (reader.String(items[i], stepKey) is not { } name)
            {
                ok = false;
            }
            else if (Transform.TryParse(name, out var kind))
            {
                steps.Add(kind);
            }
            else
            {
                reader.Error(items[i], stepKey, $"unknown transform '{name}'; expected one of: {string.Join(", ", Transform.Names)}");
                ok = false;
            }
        }

        return ok ? steps : null;
    }
}
