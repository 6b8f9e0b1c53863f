namespace GdSweeps.Training;

/// <summary>
/// How a run ended; the rules, in the order they are applied, are in docs/analysis.md; what each says is in
/// <see cref="RunStatuses"/>.
/// </summary>
internal enum RunStatus : byte
{
    /// <summary>Its distance to the optimum fell below the tolerance times where it started.</summary>
    Converged,

    /// <summary>
    /// Finite and approaching the optimum while the error changes sign each step, but not yet converged.
    /// </summary>
    Oscillating,

    /// <summary>
    /// Finite but not converged within the budget, approaching without oscillating: too small a learning rate.
    /// </summary>
    Stalled,

    /// <summary>Kept finite only because clipping capped every step; not converging.</summary>
    ClipBound,

    /// <summary>Its loss became non-finite or exceeded the divergence threshold; the run stopped there.</summary>
    Diverged,

    /// <summary>
    /// Finite at the end only because the budget ran out: a mode of the Hessian grew, or (where modes mix) it moved
    /// away from the optimum.
    /// </summary>
    Diverging,

    /// <summary>
    /// It started at the optimum (to round-off), so the run cannot tell whether the learning rate is stable.
    /// </summary>
    Uninformative,

    /// <summary>The run threw: a bug or an impossible value. Its error is recorded and the sweep goes on.</summary>
    Failed,
}

/// <summary>What a run's status says about its learning rate.</summary>
internal enum Vote : byte
{
    /// <summary>The rate is stable, as far as this run shows.</summary>
    Stable,

    /// <summary>The rate is unstable.</summary>
    Unstable,

    /// <summary>The run cannot tell (it failed, or started at the optimum).</summary>
    None,
}

/// <summary>
/// Every fact about each status, in one table: the name it is stored under, its vote on stability, the colour the
/// report draws it in, and its rank (0 the least stable: several seeds at one rate show the least stable one).
/// Nothing else lists statuses; a test checks that every enum value has its row.
/// </summary>
internal static class RunStatuses
{
    /// <summary>One status's facts.</summary>
    public sealed record Facts(RunStatus Status, string Name, Vote Vote, string Color, int Rank);

    private static readonly Facts[] Table =
    [
        new(RunStatus.Converged, "converged", Vote.Stable, "#2e7d32", 6),
        new(RunStatus.Oscillating, "oscillating", Vote.Stable, "#9ccc65", 4),
        new(RunStatus.Stalled, "stalled", Vote.Stable, "#90a4ae", 5),
        new(RunStatus.ClipBound, "clip-bound", Vote.Stable, "#7e57c2", 3),
        new(RunStatus.Diverged, "diverged", Vote.Unstable, "#c62828", 1),
        new(RunStatus.Diverging, "diverging", Vote.Unstable, "#ffa726", 2),
        new(RunStatus.Uninformative, "uninformative", Vote.None, "#e0e0e0", 7),
        new(RunStatus.Failed, "failed", Vote.None, "#000000", 0),
    ];

    /// <summary>Every status, in enum order.</summary>
    public static IReadOnlyList<RunStatus> All { get; } = Enum.GetValues<RunStatus>();

    /// <summary>Every status's facts, in enum order.</summary>
    public static IReadOnlyList<Facts> Rows => Table;

    public static Facts Of(this RunStatus status) => Table[(int)status];

    public static string Name(this RunStatus status) => Table[(int)status].Name;

    public static string Color(this RunStatus status) => Table[(int)status].Color;

    /// <summary>The status stored as <paramref name="name"/>; false for a name no version of GdSweeps writes.</summary>
    public static bool TryParse(string? name, out RunStatus status)
    {
        var row = Array.Find(Table, f => f.Name == name);
        status = row?.Status ?? default;
        return row is not null;
    }

    /// <summary>
    /// The learning rate was too large: the run blew up, or was moving away from the optimum at the end.
    /// </summary>
    public static bool IsUnstable(this RunStatus status) => Table[(int)status].Vote == Vote.Unstable;

    /// <summary>Every status that shows a learning rate is stable.</summary>
    public static bool IsStable(this RunStatus status) => Table[(int)status].Vote == Vote.Stable;

    /// <summary>The status shown for several seeds at one rate: the least stable one.</summary>
    public static RunStatus Worst(IEnumerable<RunStatus> statuses) => statuses.MinBy(s => Table[(int)s].Rank);

    /// <summary>
    /// What the runs at one learning rate (one per seed) say: unstable (false) if any is, stable (true) if some run is
    /// stable and none unstable, nothing (null) when none votes.
    /// </summary>
    public static bool? Verdict(IEnumerable<RunStatus> statusesAtOneRate)
    {
        var verdict = new VerdictOf();
        foreach (var status in statusesAtOneRate)
        {
            verdict.Add(status);
        }

        return verdict.Result;
    }

    /// <summary>
    /// The same rule as <see cref="Verdict"/>, fed one status at a time (no enumerator on the analysis's hot path).
    /// </summary>
    public struct VerdictOf
    {
        private bool stable;
        private bool unstable;

        public void Add(RunStatus status)
        {
            var vote = Table[(int)status].Vote;
            stable |= vote == Vote.Stable;
            unstable |= vote == Vote.Unstable;
        }

        public readonly bool? Result => unstable ? false : stable ? true : null;
    }
}
