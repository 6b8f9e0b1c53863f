using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>
/// Reads <c>zip</c> (axes that move together) and <c>exclude</c> (combinations left out), against the axes already
/// read.
/// </summary>
internal static class GridRules
{
    /// <summary><c>zip: [[learning_rates, steps], ...]</c>: each group's axes must have the same length.</summary>
    public static List<IReadOnlyList<string>> Zips(NodeReader reader, YamlNode node, AxisSet axes)
    {
        var zips = new List<IReadOnlyList<string>>();
        var used = new HashSet<string>();
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

                if (axes.IndexOf(name) < 0)
                {
                    reader.Error(item, key, $"unknown axis '{name}'; expected one of: {string.Join(", ", axes.All.Select(a => a.Name))}");
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

            if (names.Select(n => axes[n].Count).Distinct().Count() > 1)
            {
                reader.Error(group, key, $"zipped axes need the same number of values; {string.Join(", ", names.Select(n => $"{n} has {axes[n].Count}"))}");
            }
            else if (names.Count >= 2)
            {
                zips.Add(names);
            }
        }

        return zips;
    }

    /// <summary>
    /// <c>exclude: [{optimizer: adam, clip: [1, 10]}, ...]</c>: a run matching every key of a rule is left out.
    /// </summary>
    public static List<ExcludeRule> Excludes(NodeReader reader, YamlNode node, AxisSet axes)
    {
        var rules = new List<ExcludeRule>();
        var names = axes.All.Select(a => a.Name).ToList();
        var items = reader.ScalarOrList(node, "exclude");
        for (var i = 0; i < items.Count; i++)
        {
            var key = $"exclude[{i}]";
            if (reader.Mapping(items[i], key, names) is not { } map)
            {
                continue;
            }

            var accepted = new Dictionary<string, bool[]>();
            var complete = true;
            foreach (var (k, v) in map.Children)
            {
                var name = ((YamlScalarNode)k).Value!;
                if (axes.IndexOf(name) < 0)
                {
                    continue; // already reported as an unknown key
                }

                var axis = axes[name];
                var any = new bool[axis.Count];
                foreach (var pattern in reader.ScalarOrList(v, $"{key}.{name}"))
                {
                    if (axis.Kind.Select(reader, axis, pattern, $"{key}.{name}") is { } hits)
                    {
                        for (var j = 0; j < hits.Length; j++)
                        {
                            any[j] |= hits[j];
                        }
                    }
                    else
                    {
                        complete = false;
                    }
                }

                accepted[name] = any;
            }

            if (complete)
            {
                rules.Add(new ExcludeRule(accepted, reader.Mark(items[i], key)));
            }
        }

        return rules;
    }
}
