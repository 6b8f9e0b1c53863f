namespace GdSweeps.Training;

/// <summary>How a run ended; the rules are in docs/analysis.md.</summary>
public enum RunStatus
{
    /// <summary>Its distance to the optimum fell below the tolerance times where it started.</summary>
    Converged,

    /// <summary>Finite to the end of the step budget, but not converged.</summary>
    Stable,

    /// <summary>Its loss became non-finite or exceeded the divergence threshold; the run stopped there.</summary>
    Diverged,

    /// <summary>It started at the optimum (to round-off), so the run cannot tell whether the learning rate is stable.</summary>
    Uninformative,
}

/// <summary>Status names as stored.</summary>
public static class RunStatusNames
{
    public static string Name(this RunStatus status) => status switch
    {
        RunStatus.Converged => "converged",
        RunStatus.Stable => "stable",
        RunStatus.Diverged => "diverged",
        RunStatus.Uninformative => "uninformative",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
