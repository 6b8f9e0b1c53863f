using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The <c>w0</c> axis: a number for every weight (or a range of them), a list with one per feature, or <c>{normal:
/// {std: s}}</c> drawn from the run's seed.
/// </summary>
internal static class StartAxis
{
    public static AxisKind<InitSpec> Kind { get; } = new(
        "w0",
        Schema(),
        Read,
        (reader, node, key) => node is YamlScalarNode
            ? reader.Double(node, key) is { } w ? i => i.ScalarWeight == w : null
            : Init(reader, node, key) is { } wanted ? i => i.Equals(wanted) : null,
        i => i.Label,
        new AxisStore(
            [
                AxisColumns.Optional<InitSpec, double>("w0", i => i.ScalarWeight,
                    "the starting weight, when every weight starts at the same given value", "per-feature or random start (see `w0_label`)"),
                AxisColumns.Text<InitSpec>("w0_label", i => i.Label, "the start as written: `1`, `[1,0.5]`, `normal(std=1)`"),
                AxisColumns.Optional<InitSpec, double>("init_std", i => i.RandomStd, "std of a random start", "the start is given"),
            ],
            ["w0", "w0_label"],
            "w0_label",
            Named: true),
        defaults: [InitSpec.Scalar(1)],
        builtInOnly: true);

    /// <summary>
    /// A start, a list of starts, or a range of numbers; in a list, a start may also be a list with one weight per
    /// feature.
    /// </summary>
    private static JsonObject Schema()
    {
        JsonObject Normal() => Schemas.Named("normal_start", Schemas.Object([("normal", Schemas.Object([("std", Schemas.Positive("default 1"))]))], ["normal"]));
        var start = Schemas.AnyOf(Schemas.Number(), Schemas.List(Schemas.Number()), Normal());
        return Schemas.Describe(
            Schemas.AnyOf(Schemas.Number(), Normal(), Schemas.List(start), Values.RangeSchema()),
            "where the weights start: a number (every weight), a range of numbers, [[w1, w2, ...]] (one per feature), or {normal: {std: s}} drawn from the run's seed (default 1)");
    }

    private static List<(InitSpec Value, YamlNode Node, string Key)> Read(NodeReader reader, YamlNode node)
    {
        if (node is YamlMappingNode map)
        {
            if (NodeReader.Child(map, "linspace") is not null || NodeReader.Child(map, "logspace") is not null)
            {
                return [.. reader.Numbers(node, "w0").Select(n => (InitSpec.Scalar(n.Value), n.Node, n.Key))];
            }

            return Init(reader, node, "w0") is { } one ? [(one, node, "w0")] : [];
        }

        return reader.Items(node, "w0", (item, key) => Init(reader, item, key) is { } init ? [init] : Array.Empty<InitSpec>());
    }

    private static InitSpec? Init(NodeReader reader, YamlNode node, string key)
    {
        switch (node)
        {
            case YamlSequenceNode seq:
                var weights = reader.NumberList(seq, key);
                return weights.Count == seq.Children.Count && weights.Count > 0 ? new InitSpec([.. weights], null) : null;
            case YamlMappingNode:
                if (reader.Mapping(node, key, ["normal"]) is not { } map || NodeReader.Child(map, "normal") is not { } normal)
                {
                    return null;
                }

                var std = reader.Mapping(normal, key + ".normal", ["std"]) is { } nm && NodeReader.Child(nm, "std") is { } s
                    ? reader.Positive(s, key + ".normal.std")
                    : 1.0;
                return std is null ? null : new InitSpec(null, std);
            default:
                return reader.Double(node, key) is { } w ? InitSpec.Scalar(w) : null;
        }
    }
}
