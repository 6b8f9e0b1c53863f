using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>The <c>clip</c> axis: <c>none</c>, a number (a cap on the gradient norm), <c>{norm: c}</c> or <c>{value: c}</c>.</summary>
internal static class ClipAxis
{
    private static readonly string[] Modes = ["norm", "value"];

    public static AxisKind<ClipSpec?> Kind { get; } = new(
        "clip",
        Schemas.OneOrList(
            Schemas.AnyOf(Schemas.None(), Schemas.Positive(), Schemas.OneKey(Modes.Select(m => (m, (JsonNode)Schemas.Positive())))),
            "a cap on the gradient: none, c (its norm capped at c), {norm: c} or {value: c} (each component clamped to [-c, c]); default none",
            "clip"),
        (reader, node) => reader.Items(node, "clip", (item, key) => Read(reader, item, key)),
        (reader, node, key) =>
        {
            if (NodeReader.IsNone(node))
            {
                return c => c is null;
            }

            // A plain number names the clip at that threshold, by norm or by value.
            if (node is YamlScalarNode)
            {
                return reader.Double(node, key) is { } threshold ? c => c?.Threshold == threshold : null;
            }

            var wanted = Read(reader, node, key);
            return wanted.Length == 1 ? c => c == wanted[0] : null;
        },
        c => c?.Label ?? "none",
        defaults: [null]);

    private static ClipSpec?[] Read(NodeReader reader, YamlNode item, string key)
    {
        if (NodeReader.IsNone(item))
        {
            return [null];
        }

        if (item is YamlMappingNode)
        {
            if (reader.Mapping(item, key, Modes) is not { } map)
            {
                return [];
            }

            if (map.Children.Count != 1)
            {
                reader.Error(item, key, "a clip is one of {norm: c} or {value: c}, not both");
                return [];
            }

            var (k, v) = map.Children.First();
            var name = ((YamlScalarNode)k).Value;
            var mode = name == "norm" ? ClipMode.Norm : ClipMode.Value;
            return reader.Positive(v, $"{key}.{name}") is { } c ? [new ClipSpec(mode, c)] : [];
        }

        return reader.Positive(item, key) is { } threshold ? [new ClipSpec(ClipMode.Norm, threshold)] : [];
    }
}
