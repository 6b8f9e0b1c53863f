using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The <c>optimizer</c> axis: a name, or <c>{name: {hyperparameter: value or list}}</c>; a list of values makes one
/// optimizer each.
/// </summary>
internal static class OptimizerAxis
{
    public static AxisKind<OptimizerSpec> Kind { get; } = new(
        "optimizer",
        Schema(),
        (reader, node) => reader.Items(node, "optimizer", (item, key) => Read(reader, item, key)),
        (reader, node, key) =>
        {
            if (node is YamlScalarNode { Value: { } text } && text.Contains('('))
            {
                return o => o.Label == text; // a label as written, e.g. adam(beta1=0.9,beta2=0.999,eps=1E-08)
            }

            if (node is YamlScalarNode)
            {
                return reader.Choice(node, key, OptimizerSpec.Names) is { } name ? o => o.Name == name : null;
            }

            var wanted = Read(reader, node, key);
            return wanted.Count > 0 ? o => wanted.Contains(o) : null;
        },
        o => o.Label,
        new AxisStore(
            [
                AxisColumns.Text<OptimizerSpec>("optimizer", o => o.Name, "`gd`, `sgd`, `momentum`, `nesterov`, `adam`, `rmsprop`, `adagrad` or `normalized`"),
                AxisColumns.Text<OptimizerSpec>("optimizer_label", o => o.Label, "name with hyperparameters, e.g. `momentum(beta=0.9)`"),
                AxisColumns.Optional<OptimizerSpec, double>("beta", o => o.Beta, "momentum coefficient", "not momentum or nesterov"),
                AxisColumns.Optional<OptimizerSpec, double>("beta1", o => o.Beta1, "adam's beta1", "not adam"),
                AxisColumns.Optional<OptimizerSpec, double>("beta2", o => o.Beta2, "adam's beta2", "not adam"),
                AxisColumns.Optional<OptimizerSpec, double>("alpha", o => o.Alpha, "rmsprop's smoothing constant", "not rmsprop"),
                AxisColumns.Optional<OptimizerSpec, double>("eps", o => o.Eps, "adam, rmsprop, adagrad epsilon", "the optimizer has none"),
                AxisColumns.Optional<OptimizerSpec, int>("batch_size", o => o.BatchSize, "samples per SGD step", "not sgd"),
            ],
            ["optimizer", "optimizer_label"],
            "optimizer_label"),
        defaults: [OptimizerSpec.Gd],
        builtInOnly: true);

    private static List<OptimizerSpec> Read(NodeReader reader, YamlNode node, string key)
    {
        string? name;
        YamlNode? parameters = null;
        if (node is YamlMappingNode)
        {
            if (reader.Mapping(node, key, OptimizerSpec.Names) is not { } map)
            {
                return [];
            }

            if (map.Children.Count != 1)
            {
                reader.Error(node, key, "an optimizer with hyperparameters is one name with a mapping, e.g. {adam: {beta1: 0.9}}");
                return [];
            }

            name = ((YamlScalarNode)map.Children.First().Key).Value;
            parameters = map.Children.First().Value;
            if (!OptimizerSpec.Names.Contains(name))
            {
                return []; // reported as an unknown key
            }
        }
        else
        {
            name = reader.Choice(node, key, OptimizerSpec.Names);
        }

        if (name is null)
        {
            return [];
        }

        var kind = (OptimizerKind)OptimizerSpec.Names.ToList().IndexOf(name);
        var combos = new List<Dictionary<string, double>> { new() };
        if (parameters is not null && !NodeReader.IsNone(parameters))
        {
            if (reader.Mapping(parameters, $"{key}.{name}", OptimizerSpec.Keys(kind)) is not { } map)
            {
                return [];
            }

            foreach (var (k, v) in map.Children)
            {
                var hyper = ((YamlScalarNode)k).Value!;
                var hyperKey = $"{key}.{name}.{hyper}";
                var values = hyper == "batch_size"
                    ? reader.Ints(v, hyperKey, 1).Select(i => (double)i.Value).ToList()
                    : reader.NumberList(v, hyperKey);
                foreach (var value in values)
                {
                    Check(reader, v, hyperKey, hyper, value);
                }

                combos = [.. combos.SelectMany(c => values.Select(value => new Dictionary<string, double>(c) { [hyper] = value }))];
            }
        }

        return [.. combos.Select(c => OptimizerSpec.WithDefaults(kind, c))];
    }

    /// <summary>
    /// A name, or <c>{name: {hyperparameter: value or values}}</c> with the hyperparameters that optimizer takes.
    /// </summary>
    private static JsonObject Schema()
    {
        var kinds = OptimizerSpec.Names.Select((name, i) => (name, (JsonNode)Schemas.AnyOf(
            Schemas.None(),
            Schemas.Object(OptimizerSpec.Keys((OptimizerKind)i).Select(hyper => (hyper, (JsonNode)Hyperparameter(hyper)))))));
        return Schemas.OneOrList(
            Schemas.AnyOf(Schemas.Enum(OptimizerSpec.Names), Schemas.OneKey(kinds)),
            "gd, sgd, momentum, nesterov, adam, rmsprop, adagrad, normalized, or {name: {hyperparameter: value or list}} (PyTorch's defaults; default gd)",
            "optimizer");
    }

    /// <summary>The values <see cref="Check"/> lets through.</summary>
    private static JsonObject Hyperparameter(string name) => name switch
    {
        "batch_size" => Schemas.OneOrList(Schemas.Integer(1)),
        "eps" => Schemas.Named("positive_numbers", Values.NumbersSchema(Schemas.Positive())),
        _ => Schemas.Named("unit_numbers", Values.NumbersSchema(new JsonObject { ["type"] = "number", ["minimum"] = 0, ["exclusiveMaximum"] = 1 })),
    };

    private static void Check(NodeReader reader, YamlNode node, string key, string name, double value)
    {
        var ok = name switch
        {
            "beta" or "beta1" or "beta2" or "alpha" => value is >= 0 and < 1,
            "eps" => value > 0,
            _ => true,
        };
        if (!ok)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            reader.Error(node, key, name == "eps" ? $"must be > 0, got {text}" : $"must be in [0, 1), got {text}");
        }
    }
}
