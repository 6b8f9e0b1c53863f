using GdSweeps.Training;

namespace GdSweeps.Commands;

/// <summary>
/// The protocol lines of one attempt as they arrive, checked against the rules (steps from 0, increasing, within the
/// budget; nothing after the final line) and watched for divergence: a loss that is not finite or crosses the
/// threshold ends the run there.
/// </summary>
internal sealed class ReportedCurve(int budget, double threshold, IReadOnlyList<string> metrics)
{
    public List<int> Steps { get; } = [];

    public List<double> Losses { get; } = [];

    /// <summary>The gradient norm at each step, NaN where the line had none.</summary>
    public List<double> GradNorms { get; } = [];

    public List<double?> Sharpness { get; } = [];

    public Dictionary<string, List<double?>> Metrics { get; } = metrics.ToDictionary(m => m, _ => new List<double?>(), StringComparer.Ordinal);

    /// <summary>The final line's numbers; empty until it comes.</summary>
    public Dictionary<string, double?> Final { get; } = new(StringComparer.Ordinal);

    public bool HasFinal { get; private set; }

    /// <summary>
    /// Step lines a run may report at most (2^20): what the tool keeps of one run in memory stays under about 64 MB
    /// however long its budget.
    /// </summary>
    public const int MaxStepLines = 1 << 20;

    /// <summary>The step whose loss was not finite or crossed the threshold.</summary>
    public int? DivergedAt { get; private set; }

    public int Count => Steps.Count;

    /// <summary>Adds a line; afterwards <see cref="DivergedAt"/> says whether the run must stop.</summary>
    /// <exception cref="ProtocolException">The line breaks the order of the protocol.</exception>
    public void Add(ProtocolLine line)
    {
        if (HasFinal)
        {
            throw new ProtocolException("a protocol line after the final line");
        }

        if (line.IsFinal)
        {
            HasFinal = true;
            foreach (var (name, value) in line.Numbers)
            {
                Final[name] = value;
            }

            return;
        }

        var step = line.Step!.Value;
        if (Steps.Count == 0 && step != 0)
        {
            throw new ProtocolException($"the first step line must be step 0 (the loss before any update), got step {step}");
        }

        if (Steps.Count > 0 && step <= Steps[^1])
        {
            throw new ProtocolException($"step {step} after step {Steps[^1]}; steps must increase");
        }

        if (step > budget)
        {
            throw new ProtocolException($"step {step} is beyond the budget of {budget} steps");
        }

        if (Steps.Count >= MaxStepLines)
        {
            throw new ProtocolException($"more than {MaxStepLines} step lines: a run keeps at most that many in memory; report every k-th step of a longer run");
        }

        Steps.Add(step);
        Losses.Add(line.Loss);
        GradNorms.Add(line.Get("grad_norm") ?? double.NaN);
        Sharpness.Add(line.Get("sharpness"));
        foreach (var (name, values) in Metrics)
        {
            values.Add(line.Get(name));
        }

        // Not finite, of either sign, or above the threshold: -Infinity is no convergence.
        if (!double.IsFinite(line.Loss) || line.Loss > threshold)
        {
            DivergedAt = step;
        }
    }

    /// <summary>
    /// The points kept in the curves table: every one with <c>curve: all</c>; else those on the log schedule, every one
    /// that reports sharpness (the figure draws them all), and the last.
    /// </summary>
    public List<int> Kept(bool all)
    {
        if (all || Count == 0)
        {
            return [.. Enumerable.Range(0, Count)];
        }

        var schedule = CurveSchedule.Steps(Steps[^1], all: false).ToHashSet();
        return [.. Enumerable.Range(0, Count).Where(i => schedule.Contains(Steps[i]) || Sharpness[i] is not null || i == Count - 1)];
    }
}
