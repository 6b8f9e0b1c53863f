using GdSweeps.Configs;

namespace GdSweeps.Plan;

/// <summary>
/// A sweep ready to enumerate: the config's named axes and settings, and every (dataset, transform, model, loss)
/// fitted once as a <see cref="Problem"/>, shared read-only by every run that uses it. Immutable.
/// </summary>
internal sealed class SweepPlan
{
    private readonly Problem[,,,] problems;

    /// <summary>Where the four axes that make a problem are in grid order.</summary>
    private readonly (int Dataset, int Transform, int Model, int Loss) at;

    private SweepPlan(SweepConfig config, Problem[,,,] problems)
    {
        Config = config;
        this.problems = problems;
        var axes = config.Axes;
        at = (axes.IndexOf(SweepAxes.Datasets), axes.IndexOf(SweepAxes.Transforms), axes.IndexOf(SweepAxes.Model), axes.IndexOf(SweepAxes.Loss));
    }

    public SweepConfig Config { get; }

    public string Name => Config.Name;

    public AxisSet Axes => Config.Axes;

    /// <summary>Every fitted problem, datasets outermost, then transforms, models and losses.</summary>
    public IEnumerable<Problem> Problems => problems.Cast<Problem>();

    /// <summary>The problem of the given values (indices into the datasets, transforms, model and loss axes).</summary>
    public Problem Problem(int dataset, int transform, int model, int loss) => problems[dataset, transform, model, loss];

    /// <summary>The problem of the run at grid point <paramref name="point"/> (an index into each axis).</summary>
    public Problem ProblemAt(int[] point) => problems[point[at.Dataset], point[at.Transform], point[at.Model], point[at.Loss]];

    /// <summary>Reads, validates and fits the config at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">Every error of the config, its data and its problems together.</exception>
    public static SweepPlan Load(string path, CancellationToken ct = default) => Load(path, [], ct);

    /// <summary>
    /// Reads, validates and fits the config at <paramref name="path"/> with command-line <paramref name="overrides"/>
    /// (<c>key=value</c>) set into it.
    /// </summary>
    /// <exception cref="ConfigException">Every error of the config, its overrides, its data and its problems
    /// together.</exception>
    public static SweepPlan Load(string path, IReadOnlyList<string> overrides, CancellationToken ct = default) =>
        Complete(ConfigLoader.ReadFile(path, overrides, ct), ct);

    /// <summary>Validates and fits config <paramref name="text"/>, named <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">Every error of the config, its data and its problems together.</exception>
    public static SweepPlan Parse(string text, string path, CancellationToken ct = default) => Complete(ConfigLoader.Read(text, path, [], ct), ct);

    /// <summary>Fits every problem; one that cannot apply is an error at the transform's place in the config.</summary>
    /// <exception cref="ConfigException">A transform cannot apply to a dataset.</exception>
    public static SweepPlan Build(SweepConfig config)
    {
        var (problems, errors) = Fit(config, default);
        return errors.Count > 0 ? throw new ConfigException(errors) : new SweepPlan(config, problems);
    }

    /// <summary>
    /// The plan of a config read without errors; otherwise every error at once: when the axes that make the problems
    /// read cleanly, the problems are fitted too, so a transform that cannot apply is not hidden behind a typo
    /// elsewhere.
    /// </summary>
    private static SweepPlan Complete(ConfigReading reading, CancellationToken ct)
    {
        if (reading.Errors.Count == 0)
        {
            var (problems, errors) = Fit(reading.Valid(), ct);
            return errors.Count > 0 ? throw new ConfigException(errors) : new SweepPlan(reading.Partial!, problems);
        }

        if (!reading.ReadCleanly(SweepAxes.Datasets.Name, SweepAxes.Transforms.Name))
        {
            throw new ConfigException(reading.Errors);
        }

        throw new ConfigException([.. reading.Errors, .. Fit(reading.Partial!, ct).Errors]);
    }

    /// <summary>
    /// Every (dataset, transform, model, loss) fitted, and an error for each transform that cannot apply to a dataset.
    /// </summary>
    private static (Problem[,,,] Problems, List<ConfigError> Errors) Fit(SweepConfig config, CancellationToken ct)
    {
        var datasets = config.Get(SweepAxes.Datasets);
        var transforms = config.Get(SweepAxes.Transforms);
        var models = config.Get(SweepAxes.Model);
        var losses = config.Get(SweepAxes.Loss);
        var fitted = new Problem[datasets.Count, transforms.Count, models.Count, losses.Count];
        var errors = new List<ConfigError>();
        for (var d = 0; d < datasets.Count; d++)
        {
            for (var t = 0; t < transforms.Count; t++)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    for (var m = 0; m < models.Count; m++)
                    {
                        for (var l = 0; l < losses.Count; l++)
                        {
                            fitted[d, t, m, l] = new Problem(datasets[d], transforms[t], models[m], losses[l]);
                        }
                    }
                }
                catch (ArgumentException e)
                {
                    errors.Add(ConfigError.At(config.SourcePath, transforms.Mark(t),
                        $"transform '{transforms[t].Label}' cannot apply to dataset '{datasets[d].Name}': {e.Message}"));
                }
            }
        }

        return (fitted, errors);
    }

    /// <summary>
    /// The same axes and problems under changed settings (the kernel, the curve mode, refinement): nothing is refitted.
    /// </summary>
    public SweepPlan With(Func<SweepConfig, SweepConfig> change)
    {
        var changed = change(Config);
        return ReferenceEquals(changed.Axes, Config.Axes)
            ? new SweepPlan(changed, problems)
            : throw new ArgumentException("only settings may change; the axes are fitted", nameof(change));
    }
}
