using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The <c>clip</c> axis: <c>none</c>, a number (a cap on the gradient norm), <c>{norm: c}</c> or <c>{value: c}</c>.
/// </summary>
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
        new AxisStore(
            [
                AxisColumns.Optional<ClipSpec?, double>("clip", c => c?.Threshold, "clip threshold", "the run does not clip"),
                AxisColumns.OptionalText<ClipSpec?>("clip_mode", c => c?.ModeName, "`norm` or `value`", "the run does not clip"),
                AxisColumns.Text<ClipSpec?>("clip_label", Text, "the clip as a table shows it: `none`, `10` (by norm) or `value 1`"),
            ],
            ["clip", "clip_mode", "clip_label"],
            "clip_label",
            Named: true),
        defaults: [null]);

    /// <summary><c>none</c>, <c>10</c> (by norm) or <c>value 1</c>.</summary>
    public static string Text(ClipSpec? clip) => clip is null ? "none"
        : clip.Mode == ClipMode.Value ? $"value {Values.R(clip.Threshold)}" : Values.R(clip.Threshold);

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
                // Unknown keys were said by Mapping; what is left to say is what the mapping holds of the two.
                var known = map.Children.Keys.OfType<YamlScalarNode>().Count(k => Modes.Contains(k.Value!));
                if (known != 1 || map.Children.Count == known)
                {
                    reader.Error(item, key, known > 1 ? "a clip is one of {norm: c} or {value: c}, not both" : "a clip is {norm: c} or {value: c}");
                }

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
