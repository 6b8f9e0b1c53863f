using System.Globalization;
using System.Text.RegularExpressions;
using GdSweeps.Configs.Axes;
using GdSweeps.Data;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>Loads a sweep config from YAML, validating all of it and reporting every error at once.</summary>
internal static partial class ConfigLoader
{
    /// <summary>The default of <c>max_csv_mb</c>.</summary>
    public const int MaxCsvMb = (int)(CsvOptions.DefaultMaxBytes >> 20);

    /// <summary>
    /// 16 MiB: a config is text that names its data; a larger one is a wrong path (a device, a data file).
    /// </summary>
    public const int MaxConfigBytes = 16 << 20;

    private static readonly string[] SettingKeys = [.. Settings().Select(s => s.Key)];

    /// <summary>
    /// The axes that only the built-in models read: a command trainer trains its own model, so they are errors beside
    /// one.
    /// </summary>
    public static IReadOnlyList<string> BuiltInOnly { get; } = [.. SweepAxes.All.Where(a => a.BuiltInOnly).Select(a => a.Name), "kernel"];

    /// <summary>Every top-level key: the settings, the axes, and the command trainer with its parameters.</summary>
    public static IReadOnlyList<string> TopKeys { get; } = [.. SettingKeys.Take(2), .. SweepAxes.Names, "trainer", "params", .. SettingKeys.Skip(2)];

    /// <summary>
    /// Reads and validates <paramref name="path"/>; throws <see cref="ConfigException"/> listing every problem.
    /// </summary>
    public static SweepConfig Load(string path, CancellationToken ct = default) => ReadFile(path, [], ct).Valid();

    /// <summary>
    /// Validates config <paramref name="text"/>; <paramref name="path"/> names it in errors, gives the default sweep
    /// name and anchors relative data paths.
    /// </summary>
    public static SweepConfig Parse(string text, string path, CancellationToken ct = default) => Read(text, path, [], ct).Valid();

    /// <summary>
    /// Reads <paramref name="path"/> as far as it can be read, with every error; a file that cannot be read has no
    /// config.
    /// </summary>
    /// <param name="overrides">Command-line overrides, <c>key=value</c> (<see cref="ConfigOverrides"/>).</param>
    internal static ConfigReading ReadFile(string path, IReadOnlyList<string> overrides, CancellationToken ct = default)
    {
        var (text, error) = ConfigFile.Read(path, MaxConfigBytes, ct);
        return text is null ? new ConfigReading(null, [error!], new HashSet<string>()) : Read(text, path, overrides, ct);
    }

    /// <summary>
    /// Reads config <paramref name="text"/> as far as it can be read: the config (null when the text is not a YAML
    /// mapping) and every error.
    /// </summary>
    /// <param name="overrides">Command-line overrides, <c>key=value</c>, set into the text's tree before it is read;
    /// the config's text is then the text they make.</param>
    internal static ConfigReading Read(string text, string path, IReadOnlyList<string> overrides, CancellationToken ct = default)
    {
        var reader = new NodeReader(path) { Cancellation = ct };
        var root = YamlDocument.Root(text, reader, ct);
        if (overrides.Count > 0 && root is YamlMappingNode given)
        {
            ConfigOverrides.Apply(given, overrides, reader, ct);
            text = ConfigOverrides.EffectiveText(given, path, overrides);
        }

        var map = root is null ? null : reader.Mapping(root, "", TopKeys);
        if (map is null)
        {
            return new ConfigReading(null, reader.Errors, new HashSet<string>());
        }

        YamlNode? Child(string key) => NodeReader.Child(map, key);
        T Get<T>(string key, Func<YamlNode, T> read, T fallback) => Child(key) is { } node ? read(node) : fallback;

        // Before the axes: the datasets axis reads its CSV files under this limit.
        var maxCsvMb = Get("max_csv_mb", n => reader.Int(n, "max_csv_mb", 1) ?? MaxCsvMb, MaxCsvMb);
        reader.MaxCsvBytes = (long)maxCsvMb << 20;

        var rootMark = new SourceMark(root!.Start.Line, root.Start.Column, "");
        var axes = new List<IAxis>();
        var failed = new HashSet<string>();
        var parameters = Child("params") is { } paramsNode ? ParamAxis.ReadAll(reader, paramsNode) : [];
        foreach (var kind in SweepAxes.All)
        {
            ct.ThrowIfCancellationRequested();
            if (kind == SweepAxes.Seeds)
            {
                // The user's parameters fix a group like the built-in axes do; seeds and the learning rate vary fastest.
                axes.AddRange(parameters);
            }

            var before = reader.Errors.Count;
            var node = Child(kind.Name);
            if (node is null && kind.Required)
            {
                reader.Error(root, kind.Name, "required key is missing");
            }

            axes.Add(kind.Read(reader, node, rootMark));
            if (reader.Errors.Count > before)
            {
                failed.Add(kind.Name);
            }
        }

        var axisSet = new AxisSet(axes);
        var trainer = Child("trainer") is { } trainerNode ? TrainerReader.Read(reader, trainerNode, [.. parameters.Select(p => p.Name)]) : null;
        CheckTrainerKeys(reader, map);
        var config = new SweepConfig
        {
            Name = ReadName(reader, map, path),
            SourcePath = path,
            Text = text,
            Overrides = overrides,
            Axes = axisSet,
            Trainer = trainer,
            Parameters = [.. parameters.Select(p => p.Name)],
            DataFiles = reader.Files,
            DivergenceThreshold = Get("divergence_threshold", n => reader.Positive(n, "divergence_threshold") ?? 1e12, 1e12),
            Tolerance = Get("tolerance", n => Tolerance(reader, n) ?? 1e-6, 1e-6),
            Curve = Get("curve", n => reader.Choice(n, "curve", CurveModes) == "all" ? CurveMode.All : CurveMode.Log, CurveMode.Log),
            Kernel = Get("kernel", n => reader.Choice(n, "kernel", KernelModes) == "per-sample" ? KernelMode.PerSample : KernelMode.Auto, KernelMode.Auto),
            MaxRuns = Get("max_runs", n => (long?)reader.Int(n, "max_runs", 1) ?? 1_000_000, 1_000_000),
            MaxCsvMb = maxCsvMb,
            Refine = Get("refine", n => Refine(reader, n), null),
            Zips = Get("zip", n => GridRules.Zips(reader, n, axisSet), []),
            Excludes = Get("exclude", n => GridRules.Excludes(reader, n, axisSet), []),
        };
        if (Child("description") is { } description)
        {
            reader.String(description, "description");
        }

        CheckStartsFit(reader, config);
        return new ConfigReading(config, reader.Errors, failed);
    }

    /// <summary>
    /// True when <paramref name="name"/> is safe as one folder name: letters, digits, '.', '_' and '-', not starting
    /// with '.'.
    /// </summary>
    public static bool IsSafeName(string name) => SafeName().IsMatch(name);

    [GeneratedRegex(SafeNamePattern)]
    private static partial Regex SafeName();

    /// <summary>
    /// Beside a command trainer the built-in models' keys mean nothing, and parameters mean nothing without one.
    /// </summary>
    private static void CheckTrainerKeys(NodeReader reader, YamlMappingNode map)
    {
        if (NodeReader.Child(map, "trainer") is null)
        {
            if (map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "params" }) is { } key)
            {
                reader.Error(key, "params", "params are a command's own parameters; they need a trainer (see docs/config.md)");
            }

            return;
        }

        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => BuiltInOnly.Contains(k.Value)))
        {
            reader.Error(key, key.Value!, $"'{key.Value}' applies to the built-in models only; a command trainer trains its own model (sweep its choices under params)");
        }
    }

    /// <summary>A start with one weight per feature must match every dataset's feature count.</summary>
    private static void CheckStartsFit(NodeReader reader, SweepConfig config)
    {
        var starts = config.Get(SweepAxes.W0);
        var datasets = config.Get(SweepAxes.Datasets);
        for (var i = 0; i < starts.Count; i++)
        {
            if (starts[i].Weights is not { Length: > 1 } weights)
            {
                continue;
            }

            foreach (var dataset in datasets.Values.Where(d => d.Features != weights.Length))
            {
                reader.Errors.Add(ConfigError.At(reader.File, starts.Mark(i),
                    $"w0 {starts[i].Label} has {weights.Length} values but dataset '{dataset.Name}' has {dataset.Features} features"));
            }
        }
    }

    /// <summary>
    /// The smallest convergence tolerance: theory's step counts square it, and below this its square is no longer a
    /// normal double (at 1e-300 it was 0, and the count searched forever for a step within it).
    /// </summary>
    internal const double MinTolerance = 1e-150;

    private static double? Tolerance(NodeReader reader, YamlNode node)
    {
        var value = reader.Positive(node, "tolerance");
        if (value is < MinTolerance)
        {
            reader.Error(node, "tolerance", string.Create(CultureInfo.InvariantCulture, $"must be at least {MinTolerance:R} (a fraction of the start's distance to the optimum; its square must be a normal double), got {value:R}"));
            return null;
        }

        return value;
    }

    /// <summary><c>true</c> (tolerance 1%), <c>false</c>, a relative tolerance, or <c>{tolerance: t}</c>.</summary>
    private static double? Refine(NodeReader reader, YamlNode node)
    {
        if (node is YamlScalarNode { Value: "true" or "false" } flag)
        {
            return flag.Value == "true" ? 0.01 : null;
        }

        if (node is YamlMappingNode)
        {
            return reader.Mapping(node, "refine", RefineKeys) is { } map && NodeReader.Child(map, "tolerance") is { } t
                ? reader.Positive(t, "refine.tolerance")
                : 0.01;
        }

        return reader.Positive(node, "refine");
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
