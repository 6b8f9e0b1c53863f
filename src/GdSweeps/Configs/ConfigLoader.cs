using System.Text.RegularExpressions;
using GdSweeps.Data;
using GdSweeps.Grid;
using GdSweeps.Training;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>Loads a sweep config from YAML, validating all of it and reporting every error at once.</summary>
public static partial class ConfigLoader
{
    private static readonly string[] TopKeys =
    [
        "name", "description", "datasets", "transforms", "model", "loss", "w0", "b0", "optimizer", "schedule",
        "learning_rates", "clip", "steps", "seeds", "zip", "exclude", "divergence_threshold", "tolerance", "curve",
        "kernel", "max_runs", "refine",
    ];

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

    /// <summary>Validates config <paramref name="text"/>; <paramref name="path"/> names it in errors, gives the default sweep name and anchors relative data paths.</summary>
    public static SweepConfig Parse(string text, string path)
    {
        var reader = new NodeReader(path);
        var root = LoadRoot(text, reader);
        var map = root is null ? null : reader.Mapping(root, "", TopKeys);
        if (map is null)
        {
            throw new ConfigException(reader.Errors);
        }

        var axes = new AxisReader(reader);
        YamlNode? Child(string key) => NodeReader.Child(map, key);
        T Get<T>(string key, Func<YamlNode, T> read, T fallback) => Child(key) is { } node ? read(node) : fallback;
        T Required<T>(string key, Func<YamlNode, T> read, T fallback)
        {
            if (Child(key) is { } node)
            {
                return read(node);
            }

            reader.Error(root!, key, "required key is missing");
            return fallback;
        }

        var name = ReadName(reader, map, path);
        var datasetReader = new DatasetReader(reader, Path.GetDirectoryName(Path.GetFullPath(path))!);
        var datasets = Required("datasets", datasetReader.ReadAll, []);
        var transforms = Required("transforms", axes.Transforms, []);
        var learningRates = Required("learning_rates", axes.LearningRates, []);
        var config = new SweepConfig
        {
            Name = name,
            SourcePath = path,
            Text = text,
            Datasets = datasets,
            DataFiles = datasetReader.Files,
            Transforms = transforms,
            Problems = [],
            LearningRates = learningRates,
            Models = Get("model", axes.Models, [ModelKind.Linear]),
            Losses = Get("loss", axes.Losses, [LossSpec.Mse]),
            W0 = Get("w0", axes.W0, [InitSpec.Scalar(1)]),
            B0 = Get("b0", n => axes.Numbers(n, "b0"), [0.0]),
            Optimizers = Get("optimizer", axes.Optimizers, [OptimizerSpec.Gd]),
            Schedules = Get("schedule", axes.Schedules, [ScheduleSpec.Constant]),
            Steps = Get("steps", n => axes.Ints(n, "steps", 1, 100_000_000), [1000]),
            Clips = Get("clip", axes.Clips, [null]),
            Seeds = Get("seeds", axes.Seeds, [0]),
            DivergenceThreshold = Get("divergence_threshold", n => axes.Positive(n, "divergence_threshold") ?? 1e12, 1e12),
            Tolerance = Get("tolerance", n => axes.Positive(n, "tolerance") ?? 1e-6, 1e-6),
            Curve = Get("curve", n => axes.Choice(n, "curve", ["log", "all"]) == "all" ? CurveMode.All : CurveMode.Log, CurveMode.Log),
            Kernel = Get("kernel", n => axes.Choice(n, "kernel", ["auto", "per-sample"]) == "per-sample" ? KernelMode.PerSample : KernelMode.Auto, KernelMode.Auto),
            MaxRuns = Get("max_runs", n => (long?)reader.Int(n, "max_runs", 1) ?? 1_000_000, 1_000_000),
            Refine = Get("refine", axes.Refine, null),
        };
        config = config with
        {
            Zips = Get("zip", n => GridRules.Zips(reader, n, config), []),
            Excludes = Get("exclude", n => GridRules.Excludes(reader, n, config), []),
        };
        if (Child("description") is { } description)
        {
            reader.String(description, "description");
        }

        if (reader.Errors.Count == 0)
        {
            CheckInitsFit(reader, config, Child("w0"));
            config = config with { Problems = FitProblems(reader, config, Child("transforms")!) };
        }

        if (reader.Errors.Count > 0)
        {
            throw new ConfigException(reader.Errors);
        }

        if (SweepGrid.Count(config) == 0)
        {
            throw new ConfigException(new ConfigError(path, root!.Start.Line, root.Start.Column, "exclude", "the exclusions leave no run"));
        }

        return config;
    }

    /// <summary>True when <paramref name="name"/> is safe as one folder name: letters, digits, '.', '_' and '-', not starting with '.'.</summary>
    public static bool IsSafeName(string name) => SafeName().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex SafeName();

    /// <summary>Fits every (dataset, transform, model, loss) once; one that cannot apply is an error at the transform's place in the config.</summary>
    private static List<Problem> FitProblems(NodeReader reader, SweepConfig config, YamlNode transformsNode)
    {
        var problems = new List<Problem>();
        foreach (var dataset in config.Datasets)
        {
            for (var t = 0; t < config.Transforms.Count; t++)
            {
                foreach (var model in config.Models)
                {
                    foreach (var loss in config.Losses)
                    {
                        try
                        {
                            problems.Add(new Problem(dataset, config.Transforms[t], model, loss));
                        }
                        catch (ArgumentException e)
                        {
                            var node = transformsNode is YamlSequenceNode seq ? seq.Children[t] : transformsNode;
                            var key = transformsNode is YamlSequenceNode ? $"transforms[{t}]" : "transforms";
                            reader.Error(node, key, $"transform '{config.Transforms[t].Label}' cannot apply to dataset '{dataset.Name}': {e.Message}");
                            goto nextTransform;
                        }
                    }
                }

            nextTransform:;
            }
        }

        return problems;
    }

    private static void CheckInitsFit(NodeReader reader, SweepConfig config, YamlNode? w0Node)
    {
        foreach (var init in config.W0.Where(i => i.Weights is { Length: > 1 }))
        {
            foreach (var dataset in config.Datasets.Where(d => d.Features != init.Weights!.Length))
            {
                reader.Error(w0Node!, "w0", $"w0 {init.Label} has {init.Weights!.Length} values but dataset '{dataset.Name}' has {dataset.Features} features");
            }
        }
    }

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
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet reports some malformed input (a repeated key, some broken scalars) without a location.
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
}
