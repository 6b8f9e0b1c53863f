using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>Reads <c>zip</c> (axes that move together) and <c>exclude</c> (combinations left out).</summary>
internal static class GridRules
{
    /// <summary><c>zip: [[learning_rates, steps], ...]</c>: each group's axes must have the same length.</summary>
    public static List<IReadOnlyList<string>> Zips(NodeReader reader, YamlNode node, SweepConfig config)
    {
        var zips = new List<IReadOnlyList<string>>();
        var used = new HashSet<string>();
        var lengths = config.AxisLengths;
        var groups = node is YamlSequenceNode { Children: [YamlScalarNode, ..] } ? [node] : reader.ScalarOrList(node, "zip");
        for (var i = 0; i < groups.Count; i++)
        {
            var key = $"zip[{i}]";
            if (groups[i] is not YamlSequenceNode group || group.Children.Count < 2)
            {
                reader.Error(groups[i], key, "a zip group is a list of two or more axis names");
                continue;
            }

            var names = new List<string>();
            foreach (var item in group.Children)
            {
                if (reader.String(item, key) is not { } name)
                {
                    continue;
                }

                if (!SweepConfig.AxisNames.Contains(name))
                {
                    reader.Error(item, key, $"unknown axis '{name}'; expected one of: {string.Join(", ", SweepConfig.AxisNames)}");
                }
                else if (!used.Add(name))
                {
                    reader.Error(item, key, $"axis '{name}' is in more than one zip group");
                }
                else
                {
                    names.Add(name);
                }
            }

            var sizes = names.Select(n => lengths[SweepConfig.AxisNames.ToList().IndexOf(n)]).Distinct().ToList();
            if (sizes.Count > 1)
            {
                reader.Error(group, key, $"zipped axes need the same number of values; {string.Join(", ", names.Select(n => $"{n} has {lengths[SweepConfig.AxisNames.ToList().IndexOf(n)]}"))}");
            }
            else if (names.Count >= 2)
            {
                zips.Add(names);
            }
        }

        return zips;
    }

    /// <summary><c>exclude: [{optimizer: adam, clip: [1, 10]}, ...]</c>: a run matching every key of a rule is left out.</summary>
    public static List<ExcludeRule> Excludes(NodeReader reader, YamlNode node, SweepConfig config)
    {
        var rules = new List<ExcludeRule>();
        var items = reader.ScalarOrList(node, "exclude");
        for (var i = 0; i < items.Count; i++)
        {
            var key = $"exclude[{i}]";
            if (reader.Mapping(items[i], key, SweepConfig.AxisNames.ToList()) is not { } map)
            {
                continue;
            }

            var match = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var (k, v) in map.Children)
            {
                var axis = ((YamlScalarNode)k).Value!;
                if (!SweepConfig.AxisNames.Contains(axis))
                {
                    continue; // already reported as an unknown key
                }

                var values = reader.ScalarOrList(v, $"{key}.{axis}").Select(Label).ToList();
                var names = Grid.SweepGrid.Names(config, SweepConfig.AxisNames.ToList().IndexOf(axis));
                foreach (var value in values.Where(value => !names.Any(ns => ns.Contains(value) || SameNumber(ns, value))))
                {
                    reader.Error(v, $"{key}.{axis}", $"'{value}' is not a value of the {axis} axis");
                }

                match[axis] = values;
            }

            rules.Add(new ExcludeRule(match));
        }

        return rules;
    }

    /// <summary>A scalar as written; a one-key mapping such as <c>{value: 1}</c> as <c>value=1</c>, the label of that value.</summary>
    private static string Label(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlMappingNode { Children.Count: 1 } m when m.Children.First() is (YamlScalarNode k, YamlScalarNode v) => Normalize(k.Value!, v.Value!),
        _ => "",
    };

    private static string Normalize(string key, string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? $"{key}={d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"
            : $"{key}={value}";

    private static bool SameNumber(string[] names, string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
        && names.Any(n => double.TryParse(n, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var w) && v == w);
}
