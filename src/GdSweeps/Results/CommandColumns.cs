using GdSweeps.Configs.Axes;
using GdSweeps.Training;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Results;

/// <summary>
/// The columns a command trainer's sweep adds to <c>runs/</c> after the ones every sweep has: how each command ended,
/// where its log is, and the sharpness it reported. Its declared metrics follow (<see cref="RunSchema"/>); its
/// parameters are axes, stored with the others.
/// </summary>
internal static class CommandColumns
{
    private static CommandRecord Of(RunResult r) => r.Outcome.Command!;

    public static Column<RunResult, int?> ExitCode { get; } = Optional<RunResult, int>("exit_code", r => Of(r).ExitCode,
        "the command's exit status in its last attempt (128 + n when signal n ended it, as when GdSweeps stopped it); a run served by a worker (`trainer.serve`) has its worker's status when the worker exited or was stopped during the run, else 0", "the program could not be started");

    public static Column<RunResult, double> Duration { get; } = Value<RunResult, double>("duration_s", r => Of(r).DurationSeconds,
        "wall time of the last attempt, in seconds");

    public static Column<RunResult, int> Attempts { get; } = Value<RunResult, int>("attempts", r => Of(r).Attempts,
        "attempts at this run (1 + retries used)");

    public static Column<RunResult, string?> Stopped { get; } = OptionalText<RunResult>("stopped", r => Of(r).Stopped,
        "why GdSweeps stopped the command: `diverged`, `timeout`, `malformed output`, `output limit`", "it ended by itself");

    public static Column<RunResult, string?> StderrTail { get; } = OptionalText<RunResult>("stderr_tail", r => Of(r).StderrTail,
        "the end of what the last attempt wrote to stderr (a worker's, what it wrote while serving the run; at most 2 KiB; the whole is in the log)", "it wrote nothing to stderr");

    public static Column<RunResult, string?> Log { get; } = Text<RunResult>("log", r => Of(r).Log,
        "the run's log in this folder, `logs/<run_id>.log`: the command line of each attempt, every line it wrote that is not the protocol, how it ended");

    public static Column<RunResult, double?> Sharpness0 { get; } = Optional<RunResult, double>("sharpness_0", r => Of(r).Sharpness0,
        "the top Hessian eigenvalue the command reported at step 0 (`lr_crit` is 2 over it)", "not reported at step 0");

    public static Column<RunResult, double?> SharpnessLast { get; } = Optional<RunResult, double>("sharpness_last", r => Of(r).SharpnessLast,
        "the last sharpness reported", "no sharpness reported");

    public static Column<RunResult, double?> SharpnessMax { get; } = Optional<RunResult, double>("sharpness_max", r => Of(r).SharpnessMax,
        "the largest sharpness reported", "no sharpness reported");

    public static Column<RunResult, double?> SharpnessMin { get; } = Optional<RunResult, double>("sharpness_min", r => Of(r).SharpnessMin,
        "the smallest sharpness reported (below `2/learning_rate`: the run came back from the edge)", "no sharpness reported");

    public static Column<RunResult, double?> SharpnessRatioMax { get; } = Optional<RunResult, double>("sharpness_ratio_max", r => Of(r).SharpnessRatioMax,
        "the largest `sharpness * learning_rate / 2` reported: 1 is the edge of stability (sharpness at `2/lr`)", "no sharpness reported");

    public static IReadOnlyList<RowColumn<RunResult>> All { get; } =
        [ExitCode, Duration, Attempts, Stopped, StderrTail, Log, Sharpness0, SharpnessLast, SharpnessMax, SharpnessMin, SharpnessRatioMax];

    /// <summary>The column of declared metric <paramref name="name"/>: its final value.</summary>
    public static RowColumn<RunResult> Metric(string name) =>
        Optional<RunResult, double>(MetricPrefix + name, r => r.Outcome.Command?.Metrics.GetValueOrDefault(name), MetricMeaning, MetricNull);

    public const string MetricPrefix = "metric_";

    private const string MetricMeaning = "the declared metric `<name>` (`trainer.metrics`): its value on the final line, else on the last step line that had it";
    private const string MetricNull = "never reported, or the run failed";

    /// <summary>
    /// The two patterns of columns a sweep's parameters and metrics add, as docs/results-schema.md lists them.
    /// </summary>
    public static IReadOnlyList<Column> Patterns { get; } =
    [
        new PatternColumn(ParamAxis.Pattern.Name, ParamAxis.Pattern.Type, ParamAxis.Pattern.Meaning, null),
        new PatternColumn(MetricPrefix + "<name>", "double", MetricMeaning, MetricNull),
    ];
}
