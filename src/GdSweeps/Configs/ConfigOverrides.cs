using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>
/// Command-line overrides, <c>--set key=value</c> as Hydra users write them: each value is YAML, set into the config's
/// tree before it is read, so it is validated, identified and recorded exactly as if the file said it.
/// </summary>
/// <remarks>
/// A dotted key sets a nested key (<c>refine.tolerance=0.05</c>), making the mappings on the way; a list on the way is
/// set whole, since a key cannot say which item it means. The config text a sweep records is the file with the
/// overrides
/// applied (<see cref="EffectiveText"/>), so its manifest, its hash and a merge of its shards all see what ran.
/// </remarks>
internal static class ConfigOverrides
{
    /// <summary>Where an override's errors are located, in place of the file name.</summary>
    public const string Option = "--set";

    /// <summary>
    /// Sets each override into <paramref name="root"/> in order (a later one wins), marking every node it adds in
    /// <paramref name="reader"/>.
    /// </summary>
    internal static void Apply(YamlMappingNode root, IReadOnlyList<string> overrides, NodeReader reader, CancellationToken ct)
    {
        foreach (var text in overrides)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? text : text[..equals];
            var path = key.Split('.');
            if (equals < 0 || path.Any(p => p.Trim().Length == 0 || p != p.Trim()))
            {
                reader.Errors.Add(new ConfigError(Option, 0, 0, key, $"expected KEY=VALUE (e.g. steps=500 or refine.tolerance=0.05), got '{text}'"));
                continue;
            }

            if (path.FirstOrDefault(p => p.Contains('[', StringComparison.Ordinal)) is { } indexed)
            {
                var whole = indexed[..indexed.IndexOf('[', StringComparison.Ordinal)];
                reader.Errors.Add(new ConfigError(Option, 0, 0, key, $"an item of a list cannot be set by its index: set {whole} whole, e.g. --set '{whole}=[...]'"));
                continue;
            }

            if (Value(text[(equals + 1)..], key, reader, ct) is { } value)
            {
                Set(root, path, value, reader);
            }
        }
    }

    /// <summary>
    /// The config text as run: the file's tree with the overrides set, after a comment naming the file and each
    /// override.
    /// </summary>
    internal static string EffectiveText(YamlNode root, string path, IReadOnlyList<string> overrides)
    {
        var text = new StringWriter { NewLine = "\n" };
        text.WriteLine($"# {path} with command-line overrides (comments of the file are not kept):");
        foreach (var item in overrides)
        {
            text.WriteLine($"#   {Option} {item.ReplaceLineEndings(" ")}");
        }

        var yaml = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDotNet.RepresentationModel.YamlDocument(root)).Save(yaml, assignAnchors: false);

        // The emitter closes the document with "...": valid, but not how a config file ends.
        var body = yaml.ToString().ReplaceLineEndings("\n");
        text.Write(body.EndsWith("\n...\n", StringComparison.Ordinal) ? body[..^4] : body);
        return text.ToString();
    }

    /// <summary>
    /// The value's YAML node, every node in it marked as set on the command line; null (with an error) when it is not
    /// YAML.
    /// </summary>
    private static YamlNode? Value(string text, string key, NodeReader reader, CancellationToken ct)
    {
        YamlNode value;
        if (text.Trim().Length == 0)
        {
            value = new YamlScalarNode(""); // key= as key: in a file: no value
        }
        else
        {
            var parsing = new NodeReader(Option, reader.BaseDirectory);
            if (YamlDocument.Root(text, parsing, ct) is not { } root)
            {
                reader.Errors.AddRange(parsing.Errors.Select(e => new ConfigError(Option, 0, 0, key, e.Message)));
                return null;
            }

            value = root;
        }

        foreach (var node in value.AllNodes)
        {
            reader.Overridden.Add(node);
        }

        return value;
    }

    private static void Set(YamlMappingNode root, string[] path, YamlNode value, NodeReader reader)
    {
        var map = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            switch (NodeReader.Child(map, path[i]))
            {
                case YamlMappingNode inner:
                    map = inner;
                    break;
                case YamlSequenceNode:
                    var whole = string.Join('.', path[..(i + 1)]);
                    reader.Errors.Add(new ConfigError(Option, 0, 0, string.Join('.', path), $"{whole} is a list: set it whole, e.g. --set '{whole}=[...]'"));
                    return;
                default:
                    // Absent, or a scalar such as refine: true that refine.tolerance=0.05 turns into a mapping.
                    var made = new YamlMappingNode();
                    reader.Overridden.Add(made);
                    map.Children[Key(path[i], map, reader)] = made;
                    map = made;
                    break;
            }
        }

        map.Children[Key(path[^1], map, reader)] = value;
    }

    /// <summary>
    /// The key node: the file's own where it has the key (so its place is kept), else a new one marked as set on the
    /// command line.
    /// </summary>
    private static YamlNode Key(string name, YamlMappingNode map, NodeReader reader)
    {
        var existing = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var v } && v == name);
        if (existing is not null)
        {
            return existing;
        }

        var key = new YamlScalarNode(name);
        reader.Overridden.Add(key);
        return key;
    }
}
