using System.Text.RegularExpressions;
using GdSweeps.Data;
using GdSweeps.Training;
using GdSweeps.Transforms;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>Loads a sweep config from YAML, validating all of it and reporting every error at once.</summary>
public static partial class ConfigLoader
{
    private static readonly string[] TopKeys =
    [
        "name", "description", "datasets", "transforms", "model", "optimizer", "loss", "w0",
        "learning_rates", "clip", "steps", "divergence_threshold", "tolerance", "curve", "kernel",
    ];

    private static readonly string[] DatasetKeys = ["name", "x", "y"];

    /// <summary>Reads and validates <paramref name="path"/>; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static SweepConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigError(path, 0, 0, "", $"cannot read the config: {e.Message}"));
        }

        return Parse(text, path);
    }

    /// <summary>Validates config <paramref name="text"/>; <paramref name="path"/> names it in errors and gives the default sweep name.</summary>
    public static SweepConfig Parse(string text, string path)
    {
        var reader = new NodeReader(path);
        var root = LoadRoot(text, reader);
        if (root is null)
        {
            throw new ConfigException(reader.Errors);
        }

        var map = reader.Mapping(root, "", TopKeys);
        if (map is null)
        {
            throw new ConfigException(reader.Errors);
        }

        var name = ReadName(reader, map, path);
        var datasets = Required(reader, map, root, "datasets", n => ReadDatasets(reader, n)) ?? [];
        var transformsNode = NodeReader.Child(map, "transforms");
        var transforms = Required(reader, map, root, "transforms", n => ReadTransforms(reader, n)) ?? [];
        var learningRates = Required(reader, map, root, "learning_rates", n => ReadLearningRates(reader, n)) ?? [];
        var w0 = Optional(map, "w0", n => ReadNumbers(reader, n, "w0"), [1.0]);
        var clips = Optional(map, "clip", n => ReadClips(reader, n), [(double?)null]);
        var steps = Optional(map, "steps", n => ReadAxis(reader, n, "steps", (v, k) => reader.Int(v, k, 1, 100_000_000)), [1000]);
        ReadChoice(reader, map, "model", [SweepConfig.Model]);
        ReadChoice(reader, map, "optimizer", [SweepConfig.Optimizer]);
        ReadChoice(reader, map, "loss", [SweepConfig.Loss]);
        var curve = ReadChoice(reader, map, "curve", ["log", "all"]) == "all" ? CurveMode.All : CurveMode.Log;
        var kernel = ReadChoice(reader, map, "kernel", ["auto", "per-sample"]) == "per-sample" ? KernelMode.PerSample : KernelMode.Auto;
        var threshold = Optional(map, "divergence_threshold", n => Positive(reader, n, "divergence_threshold"), 1e12);
        var tolerance = Optional(map, "tolerance", n => Positive(reader, n, "tolerance"), 1e-6);
        if (NodeReader.Child(map, "description") is { } description)
        {
            reader.String(description, "description");
        }

        if (reader.Errors.Count > 0)
        {
            throw new ConfigException(reader.Errors);
        }

        var problems = FitProblems(reader, datasets, transforms, transformsNode!);
        if (reader.Errors.Count > 0)
        {
            throw new ConfigException(reader.Errors);
        }

        return new SweepConfig
        {
            Name = name,
            SourcePath = path,
            Text = text,
            Datasets = datasets,
            Transforms = transforms,
            Problems = problems,
            W0 = w0,
            LearningRates = learningRates,
            Clips = clips,
            Steps = steps,
            DivergenceThreshold = threshold,
            Tolerance = tolerance,
            Curve = curve,
            Kernel = kernel,
        };
    }

    /// <summary>True when <paramref name="name"/> is safe as one folder name: letters, digits, '.', '_' and '-', not starting with '.'.</summary>
    public static bool IsSafeName(string name) => SafeName().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex SafeName();

    private static YamlNode? LoadRoot(string text, NodeReader reader)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            reader.Errors.Add(new ConfigError(reader.File, e.Start.Line, e.Start.Column, "", $"malformed YAML: {message}"));
            return null;
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's node tree rejects a repeated key with an ArgumentException that has no location.
            reader.Errors.Add(new ConfigError(reader.File, 0, 0, "", $"malformed YAML: {e.Message}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            reader.Errors.Add(new ConfigError(reader.File, 1, 1, "", "the config is empty"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            reader.Error(stream.Documents[1].RootNode, "", "a config holds one YAML document, found several");
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>Fits every transform on every dataset once; a transform that cannot apply is an error at its place in the config.</summary>
    private static List<LinearProblem> FitProblems(
        NodeReader reader, List<Dataset> datasets, List<TransformKind> transforms, YamlNode transformsNode)
    {
        var problems = new List<LinearProblem>(datasets.Count * transforms.Count);
        foreach (var dataset in datasets)
        {
            for (var t = 0; t < transforms.Count; t++)
            {
                try
                {
                    problems.Add(new LinearProblem(dataset, transforms[t]));
                }
                catch (ArgumentException e)
                {
                    var node = transformsNode is YamlSequenceNode seq ? seq.Children[t] : transformsNode;
                    var key = transformsNode is YamlSequenceNode ? $"transforms[{t}]" : "transforms";
                    reader.Error(node, key, $"transform '{Transform.Name(transforms[t])}' cannot apply to dataset '{dataset.Name}': {e.Message}");
                }
            }
        }

        return problems;
    }

    private static string ReadName(NodeReader reader, YamlMappingNode map, string path)
    {
        if (NodeReader.Child(map, "name") is not { } node)
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            if (!IsSafeName(stem))
            {
                reader.Errors.Add(new ConfigError(path, 1, 1, "name", $"the file name '{stem}' is not a safe sweep name; set 'name'"));
            }

            return stem;
        }

        var name = reader.String(node, "name") ?? "";
        if (name.Length > 0 && !IsSafeName(name))
        {
            reader.Error(node, "name", $"'{name}' cannot be a folder name: use letters, digits, '.', '_' and '-' only, not starting with '.'");
        }

        return name;
    }

    private static T? Required<T>(NodeReader reader, YamlMappingNode map, YamlNode root, string key, Func<YamlNode, T?> read)
        where T : class
    {
        if (NodeReader.Child(map, key) is { } node)
        {
            return read(node);
        }

        reader.Error(root, key, "required key is missing");
        return null;
    }

    private static T Optional<T>(YamlMappingNode map, string key, Func<YamlNode, T?> read, T fallback)
        where T : class => NodeReader.Child(map, key) is { } node ? read(node) ?? fallback : fallback;

    private static double Optional(YamlMappingNode map, string key, Func<YamlNode, double?> read, double fallback) =>
        NodeReader.Child(map, key) is { } node ? read(node) ?? fallback : fallback;

    private static string? ReadChoice(NodeReader reader, YamlMappingNode map, string key, string[] allowed)
    {
        if (NodeReader.Child(map, key) is not { } node)
        {
            return null;
        }

        var value = reader.String(node, key);
        if (value is not null && !allowed.Contains(value))
        {
            reader.Error(node, key, $"unknown value '{value}'; expected one of: {string.Join(", ", allowed)}");
        }

        return value;
    }

    private static double? Positive(NodeReader reader, YamlNode node, string key)
    {
        var value = reader.Double(node, key);
        if (value is <= 0)
        {
            reader.Error(node, key, $"must be > 0, got {value}");
            return null;
        }

        return value;
    }

    private static List<T> ReadAxis<T>(NodeReader reader, YamlNode node, string key, Func<YamlNode, string, T?> read)
        where T : struct
    {
        var values = new List<T>();
        var items = reader.ScalarOrList(node, key);
        for (var i = 0; i < items.Count; i++)
        {
            if (read(items[i], items.Count > 1 || node is YamlSequenceNode ? $"{key}[{i}]" : key) is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static List<Dataset> ReadDatasets(NodeReader reader, YamlNode node)
    {
        var datasets = new List<Dataset>();
        var names = new HashSet<string>();
        var items = reader.ScalarOrList(node, "datasets");
        for (var i = 0; i < items.Count; i++)
        {
            var key = $"datasets[{i}]";
            if (reader.Mapping(items[i], key, DatasetKeys) is not { } map)
            {
                continue;
            }

            string? name = null;
            if (NodeReader.Child(map, "name") is { } nameNode)
            {
                name = reader.String(nameNode, key + ".name");
                if (name is not null && !names.Add(name))
                {
                    reader.Error(nameNode, key + ".name", $"dataset name '{name}' is used twice");
                }
            }
            else
            {
                reader.Error(map, key + ".name", "required key is missing");
            }

            double[]? x = null;
            if (NodeReader.Child(map, "x") is { } xNode)
            {
                x = ReadNumbers(reader, xNode, key + ".x")?.ToArray();
            }
            else
            {
                reader.Error(map, key + ".x", "required key is missing");
            }

            double[]? y = null;
            if (NodeReader.Child(map, "y") is not { } yNode)
            {
                reader.Error(map, key + ".y", "required key is missing");
            }
            else if (yNode is YamlMappingNode)
            {
                y = ReadLinearTarget(reader, yNode, key + ".y", x);
            }
            else
            {
                y = ReadNumbers(reader, yNode, key + ".y")?.ToArray();
                if (x is not null && y is not null && x.Length != y.Length)
                {
                    reader.Error(yNode, key + ".y", $"has {y.Length} values but x has {x.Length}");
                    y = null;
                }
            }

            if (name is not null && x is not null && y is not null)
            {
                datasets.Add(new Dataset(name, x, y));
            }
        }

        return datasets;
    }

    /// <summary>y given as <c>{a: 2, b: 0}</c>: y = a*x + b for every x.</summary>
    private static double[]? ReadLinearTarget(NodeReader reader, YamlNode node, string key, double[]? x)
    {
        if (reader.Mapping(node, key, ["a", "b"]) is not { } map)
        {
            return null;
        }

        var a = NodeReader.Child(map, "a") is { } aNode ? reader.Double(aNode, key + ".a") : 1.0;
        var b = NodeReader.Child(map, "b") is { } bNode ? reader.Double(bNode, key + ".b") : 0.0;
        if (x is null || a is null || b is null)
        {
            return null;
        }

        return Array.ConvertAll(x, v => (a.Value * v) + b.Value);
    }

    private static List<TransformKind> ReadTransforms(NodeReader reader, YamlNode node)
    {
        var seen = new HashSet<TransformKind>();
        return ReadAxis(reader, node, "transforms", (item, key) =>
        {
            if (reader.String(item, key) is not { } name)
            {
                return (TransformKind?)null;
            }

            if (!Transform.TryParse(name, out var kind))
            {
                reader.Error(item, key, $"unknown transform '{name}'; expected one of: {string.Join(", ", Transform.Names)}");
                return null;
            }

            if (!seen.Add(kind))
            {
                reader.Error(item, key, $"transform '{name}' is listed twice");
                return null;
            }

            return kind;
        });
    }

    private static List<double>? ReadLearningRates(NodeReader reader, YamlNode node)
    {
        var values = ReadNumbers(reader, node, "learning_rates");
        if (values is null)
        {
            return null;
        }

        foreach (var lr in values.Where(lr => lr <= 0).Distinct())
        {
            reader.Error(node, "learning_rates", $"every learning rate must be > 0, found {lr}");
        }

        return values;
    }

    private static List<double?> ReadClips(NodeReader reader, YamlNode node)
    {
        var values = new List<double?>();
        var items = reader.ScalarOrList(node, "clip");
        for (var i = 0; i < items.Count; i++)
        {
            var key = node is YamlSequenceNode ? $"clip[{i}]" : "clip";
            if (NodeReader.IsNone(items[i]))
            {
                values.Add(null);
            }
            else if (Positive(reader, items[i], key) is { } c)
            {
                values.Add(c);
            }
        }

        return values;
    }

    /// <summary>A number, a list of numbers, or a range: <c>{logspace: {from, to, per_decade | count}}</c> or <c>{linspace: {from, to, count}}</c>.</summary>
    internal static List<double>? ReadNumbers(NodeReader reader, YamlNode node, string key)
    {
        if (node is YamlMappingNode)
        {
            if (reader.Mapping(node, key, ["logspace", "linspace"]) is not { } map)
            {
                return null;
            }

            if (map.Children.Count != 1)
            {
                reader.Error(node, key, "a range has exactly one of 'logspace' or 'linspace'");
                return null;
            }

            var (kind, spec) = map.Children.First();
            var rangeKey = NodeReader.Join(key, ((YamlScalarNode)kind).Value!);
            return ReadRange(reader, spec, rangeKey, ((YamlScalarNode)kind).Value == "logspace")?.ToList();
        }

        return ReadAxis(reader, node, key, (item, k) => reader.Double(item, k));
    }

    private static double[]? ReadRange(NodeReader reader, YamlNode node, string key, bool log)
    {
        string[] keys = log ? ["from", "to", "per_decade", "count"] : ["from", "to", "count"];
        if (reader.Mapping(node, key, keys) is not { } map)
        {
            return null;
        }

        double? Get(string k) => NodeReader.Child(map, k) is { } n ? reader.Double(n, NodeReader.Join(key, k)) : Missing(k);
        double? Missing(string k)
        {
            reader.Error(node, NodeReader.Join(key, k), "required key is missing");
            return null;
        }

        var from = Get("from");
        var to = Get("to");
        var count = NodeReader.Child(map, "count") is { } c ? reader.Int(c, NodeReader.Join(key, "count"), 1, 10_000_000) : null;
        var perDecade = NodeReader.Child(map, "per_decade") is { } p ? reader.Int(p, NodeReader.Join(key, "per_decade"), 1, 1000) : null;
        if (NodeReader.Child(map, "count") is null && NodeReader.Child(map, "per_decade") is null)
        {
            reader.Error(node, key, log ? "give 'count' or 'per_decade'" : "required key 'count' is missing");
            return null;
        }

        if (NodeReader.Child(map, "count") is not null && NodeReader.Child(map, "per_decade") is not null)
        {
            reader.Error(node, key, "give 'count' or 'per_decade', not both");
            return null;
        }

        if (from is null || to is null || (count is null && perDecade is null))
        {
            return null;
        }

        if (log && (from <= 0 || to <= 0))
        {
            reader.Error(node, key, "a logspace needs from > 0 and to > 0");
            return null;
        }

        if (perDecade is not null && to < from)
        {
            reader.Error(node, key, "per_decade needs from <= to");
            return null;
        }

        return !log ? Ranges.Linspace(from.Value, to.Value, count!.Value)
            : perDecade is { } k ? Ranges.LogspacePerDecade(from.Value, to.Value, k)
            : Ranges.Logspace(from.Value, to.Value, count!.Value);
    }
}
