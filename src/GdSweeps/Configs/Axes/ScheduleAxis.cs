using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The <c>schedule</c> axis: <c>constant</c>, <c>{warmup: steps}</c>, <c>{step: {every, gamma}}</c>, or both keys
/// together.
/// </summary>
internal static class ScheduleAxis
{
    private static readonly string[] Names = ["constant", "warmup", "step", "warmup+step"];
    private static readonly string[] Keys = ["warmup", "step"];
    private static readonly string[] StepKeys = ["every", "gamma"];

    public static AxisKind<ScheduleSpec> Kind { get; } = new(
        "schedule",
        Schemas.OneOrList(
            Schemas.AnyOf(
                Schemas.Enum(["constant"]),
                Schemas.Object(Keys.Zip<string, JsonNode>(
                [
                    Schemas.Integer(1, description: "a linear warmup over this many steps"),
                    Schemas.Object(StepKeys.Zip<string, JsonNode>([Schemas.Integer(1), Schemas.Positive()]), StepKeys, "the rate times gamma every 'every' steps"),
                ]))),
            "the learning-rate schedule: constant, {warmup: N}, {step: {every: K, gamma: g}}, or both keys (default constant)",
            "schedule"),
        (reader, node) => reader.Items(node, "schedule", (item, key) => Read(reader, item, key) is { } s ? [s] : Array.Empty<ScheduleSpec>()),
        (reader, node, key) =>
        {
            if (node is YamlScalarNode { Value: { } text } && !Names.Contains(text))
            {
                return s => s.Label == text; // a label as written, e.g. warmup(5)
            }

            if (node is YamlScalarNode)
            {
                return reader.Choice(node, key, Names) is { } name ? s => s.Name == name : null;
            }

            return Read(reader, node, key) is { } wanted ? s => s == wanted : null;
        },
        s => s.Label,
        new AxisStore(
            [
                AxisColumns.Text<ScheduleSpec>("schedule", s => s.Label, "`constant`, `warmup(N)`, `step(every=K,gamma=g)` or both joined by `+`"),
                AxisColumns.Optional<ScheduleSpec, int>("warmup_steps", s => s.WarmupSteps, "warmup length", "no warmup"),
                AxisColumns.Optional<ScheduleSpec, int>("decay_every", s => s.DecayEvery, "steps between decays", "no step decay"),
                AxisColumns.Optional<ScheduleSpec, double>("decay_gamma", s => s.DecayGamma, "decay factor", "no step decay"),
            ],
            ["schedule"]),
        defaults: [ScheduleSpec.Constant],
        builtInOnly: true);

    private static ScheduleSpec? Read(NodeReader reader, YamlNode item, string key)
    {
        if (item is not YamlMappingNode)
        {
            return reader.Choice(item, key, ["constant"]) is null ? null : ScheduleSpec.Constant;
        }

        if (reader.Mapping(item, key, Keys) is not { } map)
        {
            return null;
        }

        var warmup = NodeReader.Child(map, "warmup") is { } w ? reader.Int(w, key + ".warmup", 1) : null;
        int? every = null;
        double? gamma = null;
        if (NodeReader.Child(map, "step") is { } s && reader.Mapping(s, key + ".step", StepKeys) is { } sm)
        {
            every = NodeReader.Child(sm, "every") is { } e ? reader.Int(e, key + ".step.every", 1) : Missing(reader, sm, key + ".step.every");
            gamma = NodeReader.Child(sm, "gamma") is { } g ? reader.Positive(g, key + ".step.gamma") : Missing(reader, sm, key + ".step.gamma");
            if (every is null || gamma is null)
            {
                return null;
            }
        }

        return new ScheduleSpec(warmup, every, gamma);
    }

    private static int? Missing(NodeReader reader, YamlNode node, string key)
    {
        reader.Error(node, key, "required key is missing");
        return null;
    }
}
