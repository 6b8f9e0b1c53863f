using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// <c>params:</c>, the user's own axes for a command trainer: each key is an axis of that name whose values (numbers,
/// ranges of numbers, or texts) reach the command as placeholders and environment variables. Zip, exclude, identity
/// and labels then handle it by name like any other axis.
/// </summary>
internal static partial class ParamAxis
{
    /// <summary>
    /// Names GdSweeps gives a meaning to, which a parameter would shadow in the command or the results.
    /// </summary>
    private static readonly HashSet<string> Taken =
    [
        .. SweepAxes.Names, .. Placeholders.BuiltIn, "name", "description", "trainer", "params", "zip", "exclude", "run", "group", "index",
        "learning_rate", "seed", "status", "error", "final", "step", "loss", "grad_norm", "sharpness",
    ];

    /// <summary>One axis per key of the <c>params</c> mapping, in the order written.</summary>
    public static List<IAxis> ReadAll(NodeReader reader, YamlNode node)
    {
        var axes = new List<IAxis>();
        if (reader.Mapping(node, "params", null) is not { } map)
        {
            return axes;
        }

        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            var key = $"params.{name}";
            if (!ParamName().IsMatch(name))
            {
                reader.Error(k, key, "a parameter's name is lower-case letters, digits and '_', starting with a letter (at most 40)");
                continue;
            }

            if (Taken.Contains(name))
            {
                reader.Error(k, key, $"'{name}' is a name GdSweeps uses (an axis, a setting or a placeholder); call the parameter something else");
                continue;
            }

            axes.Add(Kind(name).Read(reader, v, new SourceMark(k.Start.Line, k.Start.Column, key)));
        }

        return axes;
    }

    /// <summary>The JSON Schema of <c>params:</c>: each parameter's name and its values.</summary>
    public static JsonObject Schema() => Schemas.Describe(
        new JsonObject
        {
            ["type"] = "object",
            ["propertyNames"] = new JsonObject { ["pattern"] = ParamName().ToString(), ["not"] = Schemas.Enum(Taken.Order(StringComparer.Ordinal)) },
            ["additionalProperties"] = ValuesSchema(),
        },
        "a command trainer's own axes, swept like the others: each a value, a list, or a range; {name} in the command, GDSWEEPS_PARAM_NAME in its environment");

    private static JsonObject ValuesSchema() => Values.NumbersSchema(
        Schemas.AnyOf(Schemas.Number(), new JsonObject { ["type"] = "string", ["minLength"] = 1 }),
        "a number or a text (quoted numbers are texts), a list of them, or a range");

    /// <summary>The axis kind of parameter <paramref name="name"/>.</summary>
    public static AxisKind<ParamValue> Kind(string name) => new(
        name,
        ValuesSchema(),
        (reader, node) => Read(reader, node, $"params.{name}"),
        (reader, node, key) => Value(reader, node, key) is { } wanted ? v => v.Equals(wanted) : null,
        v => v.Text,
        new AxisStore([], [Prefix + name], Header: name, Named: true) { ColumnsOf = axis => [Column(name, KindOf(axis))] },
        v => v.Key);

    /// <summary>What a parameter's column is named after: <c>param_&lt;name&gt;</c>.</summary>
    public const string Prefix = "param_";

    private const string Meaning = "the value of the user's parameter `<name>` (`params:`), as the command received it";

    /// <summary>
    /// How parameter <paramref name="name"/>'s values are stored: int64 when every value is a whole number, double when
    /// every one is a number, else string.
    /// </summary>
    private static AxisColumn Column(string name, ParamKind kind) => kind switch
    {
        ParamKind.Whole => AxisColumns.Value<ParamValue, long>(Prefix + name, v => (long)v.Number!.Value, Meaning),
        ParamKind.Number => AxisColumns.Value<ParamValue, double>(Prefix + name, v => v.Number!.Value, Meaning),
        _ => AxisColumns.Text<ParamValue>(Prefix + name, v => v.Text, Meaning),
    };

    private static ParamKind KindOf(IAxis axis) => ParamValue.KindOf(((Axis<ParamValue>)axis).Values);

    /// <summary>How docs/results-schema.md lists the parameters' columns.</summary>
    public static (string Name, string Type, string Meaning) Pattern { get; } =
        (Prefix + "<name>", "int64, double or string", Meaning + ": int64 when every value is a whole number, double when every one is a number, else string");

    private static List<(ParamValue Value, YamlNode Node, string Key)> Read(NodeReader reader, YamlNode node, string key)
    {
        if (node is YamlMappingNode)
        {
            return [.. reader.Numbers(node, key).Select(n => (ParamValue.Of(n.Value), n.Node, n.Key))];
        }

        return reader.Items(node, key, (item, itemKey) => Value(reader, item, itemKey) is { } value ? [value] : Array.Empty<ParamValue>());
    }

    /// <summary>
    /// A plain number is a number; anything else scalar (quoted, or not a number) is a text, kept verbatim.
    /// </summary>
    private static ParamValue? Value(NodeReader reader, YamlNode node, string key)
    {
        if (node is not YamlScalarNode { Value: { Length: > 0 } text } scalar)
        {
            reader.Error(node, key, "a parameter's value is a number or a non-empty text");
            return null;
        }

        var plain = scalar.Style is not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted);
        // Every plain spelling of a number is one, a non-finite one too (.inf, inf, NaN, 1e400): an error, as everywhere.
        if (plain && (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) || NodeReader.IsYamlNonFinite(text)))
        {
            return reader.Double(node, key) is { } number ? ParamValue.Of(number) : null;
        }

        return reader.String(node, key) is { } s && TrainerReader.Plain(reader, node, key, s) ? ParamValue.OfText(s) : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex ParamName();
}
