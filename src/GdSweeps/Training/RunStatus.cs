namespace GdSweeps.Training;

/// <summary>How a run ended; the rules, in the order they are applied, are in docs/analysis.md.</summary>
public enum RunStatus : byte
{
    /// <summary>Its distance to the optimum fell below the tolerance times where it started.</summary>
    Converged,

    /// <summary>Finite and approaching the optimum while the error changes sign each step, but not yet converged.</summary>
    Oscillating,

    /// <summary>Finite but not converged within the budget, approaching without oscillating: too small a learning rate.</summary>
    Stalled,

    /// <summary>Kept finite only because clipping capped every step; not converging.</summary>
    ClipBound,

    /// <summary>Its loss became non-finite or exceeded the divergence threshold; the run stopped there.</summary>
    Diverged,

    /// <summary>Finite at the end only because the budget ran out: a mode of the Hessian grew, or (where modes mix) it moved away from the optimum.</summary>
    Diverging,

    /// <summary>It started at the optimum (to round-off), so the run cannot tell whether the learning rate is stable.</summary>
    Uninformative,

    /// <summary>The run threw: a bug or an impossible value. Its error is recorded and the sweep goes on.</summary>
    Failed,
}

/// <summary>The names statuses are stored under, and the one rule of what each says about stability.</summary>
public static class RunStatuses
{
    private static readonly string[] Names = ["converged", "oscillating", "stalled", "clip-bound", "diverged", "diverging", "uninformative", "failed"];

    public static IReadOnlyList<RunStatus> All { get; } = Enum.GetValues<RunStatus>();

    public static string Name(this RunStatus status) => Names[(int)status];

    /// <summary>The status stored as <paramref name="name"/>; false for a name no version of GdSweeps writes.</summary>
    public static bool TryParse(string? name, out RunStatus status)
    {
        var index = name is null ? -1 : Array.IndexOf(Names, name);
        status = (RunStatus)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The learning rate was too large: the run blew up, or was moving away from the optimum at the end.</summary>
    public static bool IsUnstable(this RunStatus status) => status is RunStatus.Diverged or RunStatus.Diverging;

    /// <summary>Finite to the end and not moving away: every status that shows a learning rate is stable.</summary>
    public static bool IsStable(this RunStatus status) =>
        status is RunStatus.Converged or RunStatus.Oscillating or RunStatus.Stalled or RunStatus.ClipBound;

    /// <summary>
    /// What the runs at one learning rate (one per seed) say: unstable (false) if any is, stable (true) if some run is
    /// stable and none unstable, nothing (null) when every run failed or started at the optimum.
    /// </summary>
    public static bool? Verdict(IEnumerable<RunStatus> statusesAtOneRate)
    {
        var stable = false;
        foreach (var status in statusesAtOneRate)
        {
            if (status.IsUnstable())
            {
                return false;
            }

            stable |= status.IsStable();
        }

        return stable ? true : null;
    }
}
