using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The model axis (<c>linear</c>, <c>affine</c>) and the loss axis (<c>mse</c>, <c>huber</c>, <c>{huber: {delta:
/// d}}</c>).
/// </summary>
internal static class ModelAxes
{
    private static readonly string[] ModelNames = ["linear", "affine"];
    private static readonly string[] LossNames = ["mse", "huber"];

    public static AxisKind<ModelKind> Model { get; } = new(
        "model",
        Schemas.OneOrList(Schemas.Enum(ModelNames), "linear: y = X w; affine: y = X w + b (default linear)"),
        (reader, node) => reader.Items(node, "model", (item, key) => reader.Choice(item, key, ModelNames) is { } name ? [Parse(name)] : Array.Empty<ModelKind>()),
        (reader, node, key) => reader.Choice(node, key, ModelNames) is { } name ? m => m == Parse(name) : null,
        m => m.Name(),
        new AxisStore([AxisColumns.Text<ModelKind>("model", m => m.Name(), "`linear` (y = X w) or `affine` (y = X w + b)")], ["model"]),
        defaults: [ModelKind.Linear],
        builtInOnly: true);

    public static AxisKind<LossSpec> Loss { get; } = new(
        "loss",
        Schemas.OneOrList(
            Schemas.AnyOf(Schemas.Enum(LossNames), Schemas.Object([("huber", Schemas.Object([("delta", Schemas.Positive("default 1"))]))], ["huber"])),
            "mse: mean((pred - y)^2), as PyTorch's mse_loss; huber or {huber: {delta: d}}: PyTorch's huber_loss (default mse)",
            "loss"),
        (reader, node) => reader.Items(node, "loss", (item, key) => Read(reader, item, key) is { } loss ? [loss] : Array.Empty<LossSpec>()),
        (reader, node, key) =>
        {
            if (node is YamlScalarNode { Value: { } text } && text.StartsWith("huber(", StringComparison.Ordinal))
            {
                return l => l.Label == text;
            }

            if (node is YamlScalarNode)
            {
                return reader.Choice(node, key, LossNames) is { } name ? l => l.Name == name : null;
            }

            return Read(reader, node, key) is { } wanted ? l => l == wanted : null;
        },
        l => l.Label,
        new AxisStore(
            [
                AxisColumns.Text<LossSpec>("loss", l => l.Name, "`mse` or `huber`"),
                AxisColumns.Text<LossSpec>("loss_label", l => l.Label, "the loss with its parameter: `mse`, `huber(delta=1)`"),
                AxisColumns.Optional<LossSpec, double>("huber_delta", l => l.Kind == LossKind.Huber ? l.Delta : null, "huber's delta", "the loss is mse"),
            ],
            ["loss", "loss_label"],
            "loss_label"),
        defaults: [LossSpec.Mse],
        builtInOnly: true);

    private static ModelKind Parse(string name) => name == "affine" ? ModelKind.Affine : ModelKind.Linear;

    private static LossSpec? Read(NodeReader reader, YamlNode item, string key)
    {
        if (item is YamlMappingNode)
        {
            if (reader.Mapping(item, key, ["huber"]) is not { } map || NodeReader.Child(map, "huber") is not { } h)
            {
                return null;
            }

            var delta = reader.Mapping(h, key + ".huber", ["delta"]) is { } hm && NodeReader.Child(hm, "delta") is { } d
                ? reader.Positive(d, key + ".huber.delta")
                : 1.0;
            return delta is null ? null : new LossSpec(LossKind.Huber, delta.Value);
        }

        return reader.Choice(item, key, LossNames) switch
        {
            "mse" => LossSpec.Mse,
            "huber" => new LossSpec(LossKind.Huber),
            _ => null,
        };
    }
}
