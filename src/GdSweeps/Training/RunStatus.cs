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
    /// Finite and approaching without oscillating, but not converged within the budget: its slowest direction needs
    /// more steps (<c>predicted_converged_at_step</c> says how many, where theory gives it).
    /// </summary>
    Stalled,

    /// <summary>
    /// Clipped, and some eigen-component not shrinking over the last eighth of the budget: held finite by the clip
    /// only, swinging instead of converging. Unstable for convergence, finite.
    /// </summary>
    Bounded,

    /// <summary>
    /// Clipped, every component still shrinking, but its last step still capped: on its way, the budget too short to
    /// tell whether it converges once it arrives (<c>steps_to_arrive</c>). No vote on convergence.
    /// </summary>
    InTransit,

    /// <summary>
    /// Clipped, and it came within the tolerance on a capped step: it landed on the optimum. No vote on convergence,
    /// and never the best rate.
    /// </summary>
    Landed,

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

/// <summary>What a run's status says about its learning rate, on one question (converges? stays finite?).</summary>
internal enum Vote : byte
{
    /// <summary>The rate is stable, as far as this run shows.</summary>
    Stable,

    /// <summary>The rate is unstable.</summary>
    Unstable,

    /// <summary>The run cannot tell (it failed, started at the optimum, or did not arrive).</summary>
    None,
}

/// <summary>
/// Every fact about each status, in one table: the name it is stored under, its vote on convergence and on staying
/// finite, the colour the report draws it in, and its rank (0 the least stable: several seeds at one rate show the
/// least stable one). Nothing else lists statuses; a test checks that every enum value has its row.
/// </summary>
internal static class RunStatuses
{
    /// <summary>One status's facts.</summary>
    /// <param name="Vote">What it says about convergence: the stable range ("converges up to") is measured by it.</param>
    /// <param name="Finite">What it says about staying finite: a clipped group's "finite up to".</param>
    public sealed record Facts(RunStatus Status, string Name, Vote Vote, Vote Finite, string Color, int Rank);

    private static readonly Facts[] Table =
    [
        new(RunStatus.Converged, "converged", Vote.Stable, Vote.Stable, "#2e7d32", 9),
        new(RunStatus.Oscillating, "oscillating", Vote.Stable, Vote.Stable, "#9ccc65", 7),
        new(RunStatus.Stalled, "stalled", Vote.Stable, Vote.Stable, "#90a4ae", 8),
        new(RunStatus.Bounded, "bounded", Vote.Unstable, Vote.Stable, "#7e57c2", 3),
        new(RunStatus.InTransit, "in-transit", Vote.None, Vote.Stable, "#4fc3f7", 5),
        new(RunStatus.Landed, "landed", Vote.None, Vote.Stable, "#ffd54f", 6),
        new(RunStatus.Diverged, "diverged", Vote.Unstable, Vote.Unstable, "#c62828", 1),
        new(RunStatus.Diverging, "diverging", Vote.Unstable, Vote.Unstable, "#ffa726", 2),
        new(RunStatus.Uninformative, "uninformative", Vote.None, Vote.None, "#e0e0e0", 4),
        new(RunStatus.Failed, "failed", Vote.None, Vote.None, "#000000", 0),
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
    /// The learning rate does not converge: the run blew up, was moving away from the optimum at the end, or only
    /// swung, held by a clip.
    /// </summary>
    public static bool IsUnstable(this RunStatus status) => Table[(int)status].Vote == Vote.Unstable;

    /// <summary>Every status that shows a learning rate converges (or is on its way, unclipped).</summary>
    public static bool IsStable(this RunStatus status) => Table[(int)status].Vote == Vote.Stable;

    /// <summary>The status shown for several seeds at one rate: the least stable one.</summary>
    public static RunStatus Worst(IEnumerable<RunStatus> statuses) => statuses.MinBy(s => Table[(int)s].Rank);

    /// <summary>
    /// What the runs at one learning rate (one per seed) say about convergence (or, with <paramref name="finite"/>,
    /// about staying finite): unstable (false) if any is, stable (true) if some run is stable and none unstable,
    /// nothing (null) when none votes.
    /// </summary>
    public static bool? Verdict(IEnumerable<RunStatus> statusesAtOneRate, bool finite = false)
    {
        var verdict = new VerdictOf(finite);
        foreach (var status in statusesAtOneRate)
        {
            verdict.Add(status);
        }

        return verdict.Result;
    }

    /// <summary>
    /// The same rule as <see cref="Verdict"/>, fed one status at a time (no enumerator on the analysis's hot path).
    /// </summary>
    public struct VerdictOf(bool finite)
    {
        private bool stable;
        private bool unstable;

        public VerdictOf()
            : this(false)
        {
        }

        public void Add(RunStatus status)
        {
            var vote = finite ? Table[(int)status].Finite : Table[(int)status].Vote;
            stable |= vote == Vote.Stable;
            unstable |= vote == Vote.Unstable;
        }

        public readonly bool? Result => unstable ? false : stable ? true : null;
    }
}
