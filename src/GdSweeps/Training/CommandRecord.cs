namespace GdSweeps.Training;

/// <summary>
/// What a command trainer's run left besides its curve: how the process ended, its log, and the numbers it reported.
/// </summary>
internal sealed record CommandRecord
{
    /// <summary>
    /// The exit status of the last attempt (128 + n when signal n ended it); null when the program could not be
    /// started.
    /// </summary>
    public int? ExitCode { get; init; }

    /// <summary>Wall time of the last attempt, in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>How many times the command was started for this run (retries included).</summary>
    public int Attempts { get; init; }

    /// <summary>
    /// Why GdSweeps stopped the command (<c>diverged</c>, <c>timeout</c>, <c>malformed output</c>, <c>output
    /// limit</c>); null when it ended by itself.
    /// </summary>
    public string? Stopped { get; init; }

    /// <summary>
    /// The end of what the last attempt wrote to stderr (at most <see cref="StderrTailBytes"/>); null when it wrote
    /// nothing.
    /// </summary>
    public string? StderrTail { get; init; }

    /// <summary>The run's log, relative to the results folder.</summary>
    public required string Log { get; init; }

    /// <summary>The gradient norm the command reported at step 0; null when it did not.</summary>
    public double? InitialGradientNorm { get; init; }

    /// <summary>The top Hessian eigenvalue the command reported at step 0; null when it did not.</summary>
    public double? Sharpness0 { get; init; }

    /// <summary>
    /// 2/sharpness_0: the bound full-batch GD would have on the quadratic that matches the command's loss at its start.
    /// </summary>
    public double? Bound => Sharpness0 is > 0 and var s ? 2 / s : null;

    /// <summary>The last sharpness reported.</summary>
    public double? SharpnessLast { get; init; }

    /// <summary>The largest sharpness reported.</summary>
    public double? SharpnessMax { get; init; }

    /// <summary>The smallest sharpness reported.</summary>
    public double? SharpnessMin { get; init; }

    /// <summary>
    /// The largest <c>sharpness * lr / 2</c> reported: 1 is the edge of stability, sharpness at <c>2/lr</c>.
    /// </summary>
    public double? SharpnessRatioMax { get; init; }

    /// <summary>
    /// Each declared metric's final value (from the final line, else the last step line that had it).
    /// </summary>
    public IReadOnlyDictionary<string, double?> Metrics { get; init; } = new Dictionary<string, double?>();

    /// <summary>
    /// The sharpness at each kept curve point (aligned with <see cref="RunOutcome.Curve"/>), null where not reported.
    /// </summary>
    public double?[] CurveSharpness { get; init; } = [];

    /// <summary>Each declared metric at each kept curve point, null where not reported.</summary>
    public IReadOnlyDictionary<string, double?[]> CurveMetrics { get; init; } = new Dictionary<string, double?[]>();

    /// <summary>How much of stderr's end is kept in the runs table; the whole is in the log.</summary>
    public const int StderrTailBytes = 2048;
}
