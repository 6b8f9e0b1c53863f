using System.Globalization;
using System.Text.Json.Nodes;
using GdSweeps.Numerics;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The value grammars every axis family shares: items of a list, numbers and ranges, integers, choices.
/// </summary>
internal static class Values
{
    /// <summary>
    /// Reads each item of an axis (one value or a list); item i's key is <c>key[i]</c> in a list. An item may give
    /// several values (an optimizer's hyperparameter product) or none (an error).
    /// </summary>
    public static List<(T Value, YamlNode Node, string Key)> Items<T>(this NodeReader reader, YamlNode node, string key, Func<YamlNode, string, IEnumerable<T>> read)
    {
        var values = new List<(T, YamlNode, string)>();
        var items = reader.ScalarOrList(node, key);
        for (var i = 0; i < items.Count; i++)
        {
            var itemKey = node is YamlSequenceNode ? $"{key}[{i}]" : key;
            values.AddRange(read(items[i], itemKey).Select(v => (v, items[i], itemKey)));
        }

        return values;
    }

    /// <summary>The keys of a range and of each kind of range.</summary>
    private static readonly string[] RangeKinds = ["logspace", "linspace"];
    private static readonly string[] LogspaceKeys = ["from", "to", "per_decade", "count"];
    private static readonly string[] LinspaceKeys = ["from", "to", "count"];

    /// <summary>
    /// The schema of what <see cref="Numbers"/> reads: an <paramref name="item"/>, a list of them, or a range.
    /// </summary>
    public static JsonObject NumbersSchema(JsonObject item, string? description = null)
    {
        var schema = Schemas.OneOrList(item, description);
        ((JsonArray)schema["anyOf"]!).Add((JsonNode)RangeSchema());
        return schema;
    }

    /// <summary>The schema of what <see cref="Range"/> reads.</summary>
    public static JsonObject RangeSchema()
    {
        JsonNode Count() => Schemas.Integer(1, 10_000_000);
        var logspace = Schemas.Object(
            LogspaceKeys.Zip<string, JsonNode>([Schemas.Positive(), Schemas.Positive(), Schemas.Integer(1, 1000), Count()]),
            ["from", "to"],
            "numpy.logspace from 'from' to 'to' (both > 0), with 'count' values or 'per_decade' values a decade");
        logspace["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("count") }, new JsonObject { ["required"] = new JsonArray("per_decade") });
        var linspace = Schemas.Object(LinspaceKeys.Zip<string, JsonNode>([Schemas.Number(), Schemas.Number(), Count()]), LinspaceKeys, "numpy.linspace: 'count' values from 'from' to 'to'");
        return Schemas.Named("range", Schemas.OneKey(RangeKinds.Zip<string, JsonNode>([logspace, linspace])));
    }

    /// <summary>
    /// A number, a list of numbers, or a range: <c>{logspace: {from, to, per_decade | count}}</c> or <c>{linspace:
    /// {from, to, count}}</c>.
    /// </summary>
    public static IReadOnlyList<(double Value, YamlNode Node, string Key)> Numbers(this NodeReader reader, YamlNode node, string key)
    {
        if (node is YamlMappingNode)
        {
            return reader.Range(node, key) is { } range ? new RangeItems<double>(range, node, key) : [];
        }

        return reader.Items(node, key, (item, itemKey) => reader.Double(item, itemKey) is { } v ? [v] : Array.Empty<double>());
    }

    public static List<double> NumberList(this NodeReader reader, YamlNode node, string key) =>
        [.. reader.Numbers(node, key).Select(n => n.Value)];

    public static List<(int Value, YamlNode Node, string Key)> Ints(this NodeReader reader, YamlNode node, string key, int min, int max = int.MaxValue) =>
        reader.Items(node, key, (item, itemKey) => reader.Int(item, itemKey, min, max) is { } v ? [v] : Array.Empty<int>());

    public static double? Positive(this NodeReader reader, YamlNode node, string key)
    {
        var value = reader.Double(node, key);
        if (value is <= 0)
        {
            reader.Error(node, key, string.Create(CultureInfo.InvariantCulture, $"must be > 0, got {value}"));
            return null;
        }

        return value;
    }

    public static string? Choice(this NodeReader reader, YamlNode node, string key, IReadOnlyCollection<string> allowed)
    {
        var value = reader.String(node, key);
        if (value is not null && !allowed.Contains(value))
        {
            reader.Error(node, key, $"unknown value '{value}'; expected one of: {string.Join(", ", allowed)}");
            return null;
        }

        return value;
    }

    /// <summary>A number written as an exclude pattern: matches values equal to it.</summary>
    public static Func<double, bool>? NumberPattern(this NodeReader reader, YamlNode node, string key) =>
        reader.Double(node, key) is { } wanted ? v => v == wanted : null;

    public static IReadOnlyList<double>? Range(this NodeReader reader, YamlNode node, string key)
    {
        if (reader.Mapping(node, key, RangeKinds) is not { } map)
        {
            return null;
        }

        if (map.Children.Count != 1)
        {
            reader.Error(node, key, "a range has exactly one of 'logspace' or 'linspace'");
            return null;
        }

        var (kind, spec) = map.Children.First();
        var log = ((YamlScalarNode)kind).Value == "logspace";
        var rangeKey = NodeReader.Join(key, ((YamlScalarNode)kind).Value!);
        var keys = log ? LogspaceKeys : LinspaceKeys;
        if (reader.Mapping(spec, rangeKey, keys) is not { } range)
        {
            return null;
        }

        double? Get(string k)
        {
            if (NodeReader.Child(range, k) is { } n)
            {
                return reader.Double(n, NodeReader.Join(rangeKey, k));
            }

            reader.Error(spec, NodeReader.Join(rangeKey, k), "required key is missing");
            return null;
        }

        var from = Get("from");
        var to = Get("to");
        var countNode = NodeReader.Child(range, "count");
        var perDecadeNode = log ? NodeReader.Child(range, "per_decade") : null;
        if ((countNode is null) == (perDecadeNode is null))
        {
            reader.Error(spec, rangeKey, log ? "give one of 'count' or 'per_decade'" : "required key 'count' is missing");
            return null;
        }

        var count = countNode is null ? null : reader.Int(countNode, NodeReader.Join(rangeKey, "count"), 1, 10_000_000);
        var perDecade = perDecadeNode is null ? null : reader.Int(perDecadeNode, NodeReader.Join(rangeKey, "per_decade"), 1, 1000);
        if (from is null || to is null || (count is null && perDecade is null))
        {
            return null;
        }

        if (log && (from <= 0 || to <= 0))
        {
            reader.Error(spec, rangeKey, "a logspace needs from > 0 and to > 0");
            return null;
        }

        if (perDecade is not null && to < from)
        {
            reader.Error(spec, rangeKey, "per_decade needs from <= to");
            return null;
        }

        if (perDecade is { } k && (Math.Log10(to.Value) - Math.Log10(from.Value)) * k > 10_000_000)
        {
            reader.Error(spec, rangeKey, "the range has more than 10000000 values");
            return null;
        }

        return !log ? new RangeValues(RangeKind.Linear, from.Value, to.Value, count!.Value)
            : perDecade is { } perDecadeValue ? RangeValues.PerDecade(from.Value, to.Value, perDecadeValue)
            : new RangeValues(RangeKind.Log, from.Value, to.Value, count!.Value);
    }

    public static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
