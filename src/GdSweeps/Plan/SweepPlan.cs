using GdSweeps.Configs;

namespace GdSweeps.Plan;

/// <summary>
/// A sweep ready to enumerate: the config's named axes and settings, and every (dataset, transform, model, loss)
/// fitted once as a <see cref="Problem"/>, shared read-only by every run that uses it. Immutable.
/// </summary>
public sealed class SweepPlan
{
    private readonly Problem[,,,] problems;

    private SweepPlan(SweepConfig config, Problem[,,,] problems)
    {
        Config = config;
        this.problems = problems;
    }

    public SweepConfig Config { get; }

    public string Name => Config.Name;

    public AxisSet Axes => Config.Axes;

    /// <summary>Every fitted problem, datasets outermost, then transforms, models and losses.</summary>
    public IEnumerable<Problem> Problems => problems.Cast<Problem>();

    /// <summary>The problem of the given values (indices into the datasets, transforms, model and loss axes).</summary>
    public Problem Problem(int dataset, int transform, int model, int loss) => problems[dataset, transform, model, loss];

    public static SweepPlan Load(string path) => Build(ConfigLoader.Load(path));

    public static SweepPlan Parse(string text, string path) => Build(ConfigLoader.Parse(text, path));

    /// <summary>Fits every problem; one that cannot apply is an error at the transform's place in the config.</summary>
    /// <exception cref="ConfigException">A transform cannot apply to a dataset.</exception>
    public static SweepPlan Build(SweepConfig config)
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
                    var mark = transforms.Mark(t);
                    errors.Add(new ConfigError(config.SourcePath, mark.Line, mark.Column, mark.Key,
                        $"transform '{transforms[t].Label}' cannot apply to dataset '{datasets[d].Name}': {e.Message}"));
                }
            }
        }

        return errors.Count > 0 ? throw new ConfigException(errors) : new SweepPlan(config, fitted);
    }

    /// <summary>The same axes and problems under changed settings (the kernel, the curve mode, refinement): nothing is refitted.</summary>
    public SweepPlan With(Func<SweepConfig, SweepConfig> change)
    {
        var changed = change(Config);
        return ReferenceEquals(changed.Axes, Config.Axes)
            ? new SweepPlan(changed, problems)
            : throw new ArgumentException("only settings may change; the axes are fitted", nameof(change));
    }
}
