using System.Globalization;
using GdSweeps.Data;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>
/// Reads typed values out of YAML nodes, collecting every error with its location instead of stopping at the first.
/// </summary>
/// <remarks>
/// Configs are read from YamlDotNet's node tree rather than deserialized into types: every node keeps its line and
/// column, so a wrong value anywhere is reported as <c>file:line:column: key: message</c>, and unknown keys and
/// explicit type tags (which could construct arbitrary types in a deserializer) are rejected rather than ignored.
/// </remarks>
internal sealed class NodeReader(string file, string? baseDirectory = null)
{
    private static readonly HashSet<string> StandardTags =
    [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
    ];

    public string File { get; } = file;

    /// <summary>The folder relative paths in the config are resolved against: the config's own.</summary>
    public string BaseDirectory { get; } = baseDirectory ?? Path.GetDirectoryName(Path.GetFullPath(file))!;

    /// <summary>Stops a long read (a large CSV file) when the caller cancels.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The size limit of each CSV file (<c>max_csv_mb</c>), read before the datasets.</summary>
    public long MaxCsvBytes { get; set; } = CsvOptions.DefaultMaxBytes;

    /// <summary>The data files read so far, as written and resolved.</summary>
    public List<(string Given, string Resolved)> Files { get; } = [];

    public List<ConfigError> Errors { get; } = [];

    /// <summary>
    /// The nodes a command-line override put into the tree: their positions are in no file, so errors about them name
    /// <c>--set</c>.
    /// </summary>
    public HashSet<YamlNode> Overridden { get; } = new(ReferenceEqualityComparer.Instance);

    public void Error(YamlNode node, string key, string message) => Errors.Add(ConfigError.At(File, Mark(node, key), message));

    /// <summary>Where <paramref name="node"/> was written, for errors found after reading.</summary>
    public SourceMark Mark(YamlNode node, string key) =>
        new(node.Start.Line, node.Start.Column, key) { File = Overridden.Contains(node) ? ConfigOverrides.Option : null };

    /// <summary>
    /// The node as a mapping whose keys are all among <paramref name="allowed"/> (any plain key when null); null (with
    /// an error) otherwise.
    /// </summary>
    public YamlMappingNode? Mapping(YamlNode node, string key, IReadOnlyCollection<string>? allowed)
    {
        if (!CheckTag(node, key))
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, key, allowed is null ? "expected a mapping" : $"expected a mapping with keys {string.Join(", ", allowed)}");
            return null;
        }

        if (map.Children.Keys.FirstOrDefault(k => k is not YamlScalarNode) is { } complex)
        {
            Error(complex, key, "a key must be plain text");
            return null;
        }

        foreach (var (k, _) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (allowed is not null && !allowed.Contains(name))
            {
                Error(k, Join(key, name), $"unknown key; expected one of: {string.Join(", ", allowed)}");
            }
        }

        return map;
    }

    public static YamlNode? Child(YamlMappingNode map, string name) =>
        map.Children.TryGetValue(new YamlScalarNode(name), out var value) ? value : null;

    public static string Join(string parent, string child) => parent.Length == 0 ? child : $"{parent}.{child}";

    public string? String(YamlNode node, string key)
    {
        if (!CheckTag(node, key))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        Error(node, key, "expected a non-empty text value");
        return null;
    }

    /// <summary>
    /// A finite number; NaN and infinities are errors (write <c>none</c> where an axis allows no value).
    /// </summary>
    public double? Double(YamlNode node, string key)
    {
        if (!CheckTag(node, key))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && IsPlain(node)
            && (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || IsYamlNonFinite(text)))
        {
            if (double.IsFinite(value) && !IsYamlNonFinite(text))
            {
                return value;
            }

            Error(node, key, $"'{text}' is not a finite number");
            return null;
        }

        Error(node, key, $"expected a number, got {Describe(node)}");
        return null;
    }

    public int? Int(YamlNode node, string key, int min, int max = int.MaxValue)
    {
        if (!CheckTag(node, key))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && IsPlain(node)
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return (int)value;
            }

            Error(node, key, $"{value} is out of range; expected {min} to {max}");
            return null;
        }

        Error(node, key, $"expected an integer, got {Describe(node)}");
        return null;
    }

    /// <summary>A single value or a list of values: every axis of a grid accepts both.</summary>
    public IReadOnlyList<YamlNode> ScalarOrList(YamlNode node, string key)
    {
        if (!CheckTag(node, key))
        {
            return [];
        }

        if (node is YamlSequenceNode seq)
        {
            if (seq.Children.Count == 0)
            {
                Error(node, key, "empty list; an axis needs at least one value");
            }

            return [.. seq.Children];
        }

        return [node];
    }

    public static bool IsNone(YamlNode node) =>
        node is YamlScalarNode { Value: var v } && IsPlain(node) && (v is null or "" or "none" or "null" or "~");

    /// <summary>
    /// YAML's and .NET's names of a non-finite number: a plain one is a number that is not finite, never a text.
    /// </summary>
    internal static bool IsYamlNonFinite(string text) =>
        text.TrimStart('+', '-').ToLowerInvariant() is ".nan" or ".inf" or "nan" or "inf";

    private static bool IsPlain(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) };

    private bool CheckTag(YamlNode node, string key)
    {
        if (node.Tag.IsEmpty || StandardTags.Contains(node.Tag.Value))
        {
            return true;
        }

        Error(node, key, $"YAML tag '{node.Tag.Value}' is not allowed; a config holds plain data only");
        return false;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString(),
    };
}
