namespace GdSweeps.Configs;

/// <summary>
/// A validated config: every axis read into typed values, datasets loaded, the sweep's settings. Immutable.
/// </summary>
internal sealed record SweepConfig
{
    public required string Name { get; init; }

    /// <summary>The config file as given on the command line.</summary>
    public required string SourcePath { get; init; }

    /// <summary>
    /// The config file's text, kept so the results record exactly what was asked; with overrides, the text they make of
    /// it.
    /// </summary>
    public required string Text { get; init; }

    /// <summary>The command-line overrides set into the file, <c>key=value</c>, in order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>The data files the config reads, as written and resolved against the config's folder.</summary>
    public IReadOnlyList<(string Given, string Resolved)> DataFiles { get; init; } = [];

    /// <summary>
    /// Every axis of <see cref="SweepAxes.All"/>, and the user's parameters before the seeds, in grid order, with its
    /// values.
    /// </summary>
    public required AxisSet Axes { get; init; }

    /// <summary>
    /// The command that trains each run in place of the built-in models; null for the built-in models.
    /// </summary>
    public TrainerSpec? Trainer { get; init; }

    /// <summary>
    /// The names of the user's parameter axes (<c>params:</c>), in the order written; each is an axis of
    /// <see cref="Axes"/>.
    /// </summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];

    /// <summary>Groups of axis names that move together instead of multiplying.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Zips { get; init; } = [];

    /// <summary>Combinations left out of the grid.</summary>
    public IReadOnlyList<ExcludeRule> Excludes { get; init; } = [];

    public double DivergenceThreshold { get; init; } = 1e12;

    public double Tolerance { get; init; } = 1e-6;

    public CurveMode Curve { get; init; } = CurveMode.Log;

    public KernelMode Kernel { get; init; } = KernelMode.Auto;

    /// <summary>Sweeps with more runs than this need <c>--yes</c>.</summary>
    public long MaxRuns { get; init; } = 1_000_000;

    /// <summary>The size limit of each CSV file, in MiB (<c>max_csv_mb</c>).</summary>
    public int MaxCsvMb { get; init; } = ConfigLoader.MaxCsvMb;

    /// <summary>Relative tolerance of the bisection of each group's stability edge; null for no refinement.</summary>
    public double? Refine { get; init; }

    /// <summary>The axis of kind <paramref name="kind"/>.</summary>
    public Axis<T> Get<T>(AxisKind<T> kind) => Axes.Get(kind);
}
