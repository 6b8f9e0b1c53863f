namespace GdSweeps.Training;

/// <summary>How a run ended; the rules, in the order they are applied, are in docs/analysis.md.</summary>
public enum RunStatus
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

    /// <summary>Finite at the end only because the budget ran out: farther from the optimum than where it started.</summary>
    Diverging,

    /// <summary>It started at the optimum (to round-off), so the run cannot tell whether the learning rate is stable.</summary>
    Uninformative,

    /// <summary>The run threw: a bug or an impossible value. Its error is recorded and the sweep goes on.</summary>
    Failed,
}

/// <summary>Status names as stored.</summary>
public static class RunStatusNames
{
    private static readonly string[] Names = ["converged", "oscillating", "stalled", "clip-bound", "diverged", "diverging", "uninformative", "failed"];

    public static string Name(this RunStatus status) => Names[(int)status];

    public static IReadOnlyList<string> All => Names;

    /// <summary>The one shared instance of a status name (strings read from Parquet are each new), so a million stored statuses cost no strings.</summary>
    public static string Shared(string status) => Array.Find(Names, s => s == status) ?? status;

    /// <summary>Finite to the end: every status but diverged, uninformative and failed.</summary>
    public static bool IsFinite(this RunStatus status) =>
        status is RunStatus.Converged or RunStatus.Oscillating or RunStatus.Stalled or RunStatus.ClipBound;
}
