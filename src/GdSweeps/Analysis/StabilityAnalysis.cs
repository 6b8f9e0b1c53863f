using System.Globalization;
using System.Runtime.InteropServices;
using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>Everything the reports show, computed from the stored runs alone.</summary>
/// <param name="EdgeRuns">Per group (as <paramref name="Groups"/>), the runs around its edge (<see cref="GroupRuns.EdgeRuns"/>).</param>
internal sealed record SweepAnalysis(
    IReadOnlyList<GroupRuns> Groups,
    IReadOnlyList<GroupSummary> Summaries,
    IReadOnlyList<TransferSummary> Transfer,
    IReadOnlyDictionary<RunStatus, long> Counts,
    SettingLabels Labels,
    bool Command = false)
{
    public long Runs => Counts.Values.Sum();

    public IReadOnlyList<IReadOnlyList<RunPoint>> EdgeRuns { get; init; } = [];
}

/// <summary>
/// Reduces stored runs to per-group stable ranges and per-setting transfer intervals; reads nothing but the groups it
/// is given.
/// </summary>
internal static class StabilityAnalysis
{
    /// <summary>
    /// The analysis of <paramref name="groups"/> (in the config's order): each group reduced here unless it was as it
    /// completed (<see cref="Reduce"/>), and the transfer across datasets setting by setting.
    /// </summary>
    /// <param name="counts">How many runs ended in each status.</param>
    /// <param name="command">The runs are a command trainer's: the bound is 2/sharpness_0, not an analytic one.</param>
    public static SweepAnalysis Analyze(IReadOnlyList<GroupRuns> groups, IReadOnlyDictionary<RunStatus, long> counts, bool command = false)
    {
        // Setting by setting (across datasets): the rates of its groups not reduced yet made once, for their summaries
        // and the transfer, then let go; the rates of every group at once would be the analysis's largest object.
        // Nothing is written into the groups: a running sweep's report analyses groups that are still filling.
        var summaries = new GroupSummary[groups.Count];
        var edges = new IReadOnlyList<RunPoint>[groups.Count];
        var at = new Dictionary<GroupRuns, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < groups.Count; i++)
        {
            at[groups[i]] = i;
        }

        var transfer = new List<TransferSummary>();
        foreach (var setting in groups.GroupBy(g => g.Setting.WithoutDataset))
        {
            var members = setting.ToList();
            var rates = new Dictionary<GroupRuns, List<Rate>>(ReferenceEqualityComparer.Instance);
            foreach (var group in members)
            {
                var i = at[group];
                if (group.Summary is { } summary)
                {
                    (summaries[i], edges[i]) = (summary, group.EdgeRuns);
                    if (group.Rates is { } kept)
                    {
                        rates[group] = kept;
                    }
                }
                else
                {
                    (summaries[i], edges[i], rates[group]) = Reduction(group);
                }
            }

            transfer.Add(members is [{ Transfer: { } answered }] ? answered
                : TransferOf(setting.Key, members, g => rates.TryGetValue(g, out var r) ? r : throw new InvalidOperationException(
                    $"group {g.GroupId} was reduced without its rates, which the transfer of its setting needs")));
        }

        return new(groups, summaries, transfer, counts, new SettingLabels(groups.Select(g => g.Setting)), command) { EdgeRuns = edges };
    }

    /// <summary>How many of the points of <paramref name="groups"/> ended in each status.</summary>
    public static Dictionary<RunStatus, long> Counts(IEnumerable<GroupRuns> groups)
    {
        var counts = new long[RunStatuses.All.Count];
        foreach (var group in groups)
        {
            foreach (var point in group.Points)
            {
                counts[(int)point.Status]++;
            }
        }

        return RunStatuses.All.ToDictionary(s => s, s => counts[(int)s]);
    }

    /// <summary>
    /// Reduces a group that holds all its runs: its summary and the runs around its edge; returns its rates, which the
    /// transfer across datasets reads.
    /// </summary>
    public static List<Rate> Reduce(GroupRuns group)
    {
        (group.Summary, group.EdgeRuns, var rates) = Reduction(group);
        return rates;
    }

    /// <summary>A group's summary, the runs around its edge and its rates, from its points; the group unchanged.</summary>
    private static (GroupSummary Summary, IReadOnlyList<RunPoint> EdgeRuns, List<Rate> Rates) Reduction(GroupRuns group)
    {
        group.SortPoints();
        var byRate = SortedByRate(group.Points);
        var rates = Rates(byRate);
        var summary = Summarize(group, rates);
        return (summary, summary.MaxStableLr is { } stable && summary.MinUnstableLr is { } unstable ? EdgeRuns(byRate, stable, unstable) : [], rates);
    }

    /// <summary>
    /// The transfer answer of a setting whose only group is <paramref name="group"/>, from its rates.
    /// </summary>
    public static TransferSummary TransferOfOne(GroupRuns group, List<Rate> rates) => TransferOf(group.Setting.WithoutDataset, [group], _ => rates);

    /// <summary>Of the smallest seed, the runs at the two rates just below the edge and the two just above it.</summary>
    private static List<RunPoint> EdgeRuns(ReadOnlySpan<RunPoint> byRate, double maxStable, double minUnstable)
    {
        var seed = int.MaxValue;
        foreach (var run in byRate)
        {
            seed = Math.Min(seed, run.Seed);
        }

        // The runs come by rate: the last two of the seed at or below the edge, then its first two at or above it.
        var edge = new List<RunPoint>(4);
        for (var i = byRate.Length - 1; i >= 0 && edge.Count < 2; i--)
        {
            if (byRate[i].Seed == seed && byRate[i].LearningRate <= maxStable)
            {
                edge.Insert(0, byRate[i]);
            }
        }

        var below = edge.Count;
        for (var i = 0; i < byRate.Length && edge.Count < below + 2; i++)
        {
            if (byRate[i].Seed == seed && byRate[i].LearningRate >= minUnstable)
            {
                edge.Add(byRate[i]);
            }
        }

        return edge;
    }

    private static GroupSummary Summarize(GroupRuns group, List<Rate> rates)
    {
        var points = group.Points;
        var (maxStable, minUnstable) = Edge(CollectionsMarshal.AsSpan(rates), finite: false);
        var converged = RateRuns.ConvergedAround<Rate>(CollectionsMarshal.AsSpan(rates));

        // A clipped group's second edge: where its runs stop staying finite (the swing's loss crosses the threshold).
        var clipped = group.Setting["clip"] is not null;
        var (maxFinite, minInfinite) = clipped ? Edge(CollectionsMarshal.AsSpan(rates), finite: true) : (null, null);

        // One pass over the runs (a group can hold a hundred thousand): the counts, the grid's span, and the best run.
        int refinementRuns = 0, diverged = 0, failed = 0, uninformative = 0;
        double gridLow = double.PositiveInfinity, gridHigh = double.NegativeInfinity;
        HashSet<int>? seeds = null; // made at a group's second seed: most groups have one
        var firstSeed = points.Count > 0 ? points[0].Seed : 0;
        int? fastest = null, lowest = null, transit = null, stalled = null;
        for (var i = 0; i < points.Count; i++)
        {
            var r = points[i];

            // The run still in transit at the lowest rate inside the bracket the verdicts leave (none can vote there:
            // the steps it needs are what telling the edge would take), and the stalled run nearest to converging.
            if (r.Status == RunStatus.InTransit && r.LearningRate > (maxStable ?? 0) && !(r.LearningRate >= minUnstable)
                && (transit is not { } ti || r.LearningRate < points[ti].LearningRate))
            {
                transit = i;
            }

            if (r.Status == RunStatus.Stalled && r.Needed is not null && (stalled is not { } si || r.LearningRate > points[si].LearningRate))
            {
                stalled = i;
            }

            refinementRuns += r.Refinement ? 1 : 0;
            diverged += r.Status == RunStatus.Diverged ? 1 : 0;
            failed += r.Status == RunStatus.Failed ? 1 : 0;
            uninformative += r.Status == RunStatus.Uninformative ? 1 : 0;
            if (r.Seed != firstSeed)
            {
                (seeds ??= [firstSeed]).Add(r.Seed);
            }
            if (!r.Refinement)
            {
                (gridLow, gridHigh) = (Math.Min(gridLow, r.LearningRate), Math.Max(gridHigh, r.LearningRate));
            }

            // The converged run in the fewest steps, else the stable run of the lowest final loss; ties to the smaller rate, then the earlier run.
            if (r.Status == RunStatus.Converged && (fastest is not { } f || Before(r, points[f], Comparer<int?>.Default.Compare(r.ConvergedAtStep, points[f].ConvergedAtStep))))
            {
                fastest = i;
            }
            else if (r.Status.IsStable() && r.Status != RunStatus.Converged && (lowest is not { } l || Before(r, points[l], r.FinalLoss.CompareTo(points[l].FinalLoss))))
            {
                lowest = i;
            }
        }

        // The best stable run, when none converged, is looked for among every stable run (converged ones included: there are none).
        RunPoint? best = fastest is { } bf ? points[bf] : lowest is { } bl ? points[bl] : null;
        if (refinementRuns == points.Count)
        {
            (gridLow, gridHigh) = (0, 0); // no grid run: as an empty grid's span
        }

        var crit = group.Figures.LrCrit;
        var sharpness = SharpnessEdge.Statement(group, maxStable, minUnstable);
        return new GroupSummary
        {
            GroupId = group.GroupId,
            Setting = group.Setting,
            Figures = group.Figures,
            Runs = points.Count,
            RefinementRuns = refinementRuns,
            Seeds = seeds?.Count ?? (points.Count > 0 ? 1 : 0),
            Diverged = diverged,
            Failed = failed,
            Uninformative = uninformative == points.Count,
            MaxStableLr = maxStable,
            MinUnstableLr = minUnstable,
            EdgeRatio = maxStable is not null && crit is { } c && transit is null ? maxStable / c : null,
            EdgeBeyondGrid = maxStable > gridHigh ? "above" : minUnstable < gridLow ? "below" : null,
            MinConvergedLr = converged?.Low,
            MaxConvergedLr = converged?.High,
            BestLr = best?.LearningRate,
            BestFinalLoss = best?.FinalLoss,
            BestFinalLossOriginal = best?.FinalLossOriginal,
            BestConvergedAtStep = best?.ConvergedAtStep,
            Clipped = clipped,
            MaxFiniteLr = maxFinite,
            MinInfiniteLr = minInfinite,
            InTransitLr = transit is { } t ? points[t].LearningRate : null,
            InTransitSteps = transit is { } t2 ? points[t2].Needed : null,
            StalledLr = stalled is { } s ? points[s].LearningRate : null,
            StalledSteps = stalled is { } s2 ? points[s2].Needed : null,
            Sharpness0 = SharpnessEdge.Sharpness0(group),
            SharpnessStatement = sharpness?.Text,
            SharpnessVerdict = sharpness?.Short,
        };

        static bool Before(RunPoint run, RunPoint than, int byKey) => byKey < 0 || (byKey == 0 && run.LearningRate < than.LearningRate);
    }

    /// <summary>
    /// Of rates in increasing order, the first whose runs fail (<paramref name="finite"/>: stop staying finite; else:
    /// are unstable), and the last before it whose runs pass; a rate no run votes on neither.
    /// </summary>
    private static (double? LastPass, double? FirstFail) Edge(ReadOnlySpan<Rate> rates, bool finite)
    {
        double? lastPass = null;
        foreach (var rate in rates)
        {
            var verdict = finite ? rate.Finite : rate.Verdict;
            if (verdict == false)
            {
                return (lastPass, rate.Lr);
            }

            lastPass = verdict == true ? rate.Lr : lastPass;
        }

        return (lastPass, null);
    }

    /// <summary>The runs ordered by learning rate (stable: runs at one rate keep their order).</summary>
    /// <remarks>A grid's rates usually come ascending already: then this is one pass, and the cost per run stays flat
    /// however large the group.</remarks>
    private static ReadOnlySpan<RunPoint> SortedByRate(List<RunPoint> points)
    {
        var ascending = true;
        var span = CollectionsMarshal.AsSpan(points);
        for (var i = 1; i < span.Length && ascending; i++)
        {
            ascending = span[i - 1].LearningRate <= span[i].LearningRate;
        }

        if (ascending)
        {
            return span;
        }

        var sorted = span.ToArray();

        var order = new int[sorted.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => sorted[a].LearningRate.CompareTo(sorted[b].LearningRate) is var c && c != 0 ? c : a.CompareTo(b));
        return Array.ConvertAll(order, i => sorted[i]);
    }

    /// <summary>
    /// One learning rate of a group: the verdict of its runs (null: none says), and whether every one converged.
    /// </summary>
    internal readonly record struct Rate(double Lr, bool? Verdict, bool? Finite, RateResult Converged) : IConvergedAt;

    private static List<Rate> Rates(ReadOnlySpan<RunPoint> byRate)
    {
        // As many as there are rates: a group's rates are made once each, and a list grown by doubling copied them
        // over and over.
        var count = byRate.IsEmpty ? 0 : 1;
        for (var i = 1; i < byRate.Length; i++)
        {
            count += byRate[i].LearningRate.Equals(byRate[i - 1].LearningRate) ? 0 : 1;
        }

        var rates = new List<Rate>(count);
        for (var start = 0; start < byRate.Length;)
        {
            var lr = byRate[start].LearningRate;
            var end = start;
            while (end < byRate.Length && byRate[end].LearningRate.Equals(lr))
            {
                end++;
            }

            var runs = byRate[start..end];
            rates.Add(new Rate(lr, Verdict(runs, finite: false), Verdict(runs, finite: true), Converged(lr, runs)));
            start = end;
        }

        return rates;
    }

    private static bool? Verdict(ReadOnlySpan<RunPoint> runsAtOneRate, bool finite)
    {
        var verdict = new RunStatuses.VerdictOf(finite);
        foreach (var run in runsAtOneRate)
        {
            verdict.Add(run.Status);
        }

        return verdict.Result;
    }

    /// <summary>Whether every run at one rate converged, and the most steps one took.</summary>
    private static RateResult Converged(double lr, ReadOnlySpan<RunPoint> runs)
    {
        var slowest = 0;
        foreach (var run in runs)
        {
            if (run.Status != RunStatus.Converged)
            {
                return new RateResult(lr, false);
            }

            slowest = Math.Max(slowest, run.ConvergedAtStep ?? 0);
        }

        return new RateResult(lr, true, slowest);
    }

    /// <summary>Of one setting across datasets, the learning rates stable (and converged) on every dataset at once.</summary>
    private static TransferSummary TransferOf(Setting setting, List<GroupRuns> groups, Func<GroupRuns, List<Rate>> ratesOf)
    {
        var datasets = groups.Select(g => g.Setting.Dataset).Distinct().ToList();

        // Only rates tried on every dataset can answer "one rate for all": each dataset's rates, looked up at the first one's.
        var perDataset = datasets.Select(d => groups.Where(g => g.Setting.Dataset == d).ToList())
            .Select(on => on.Count == 1 ? ratesOf(on[0]) : Rates(SortedByRate([.. on.SelectMany(g => g.Points)]))).ToList();
        var first = perDataset[0];
        var byRate = new List<TransferRate>(first.Count);
        for (var k = 0; k < first.Count; k++)
        {
            var rate = first[k];
            bool everywhere = true, converged = true;
            bool? stable = true;
            var slowest = 0;
            foreach (var rates in perDataset)
            {
                var at = ReferenceEquals(rates, first) ? k : rates.BinarySearch(rate, ByRate); // the first dataset's own rate is where it is
                if (at < 0)
                {
                    everywhere = false;
                    break;
                }

                // Unstable anywhere is unstable; otherwise a dataset whose runs there vote nothing (in transit,
                // landed) leaves the rate unknown.
                stable = rates[at].Verdict == false || stable == false ? false : rates[at].Verdict is null ? null : stable;
                converged &= rates[at].Converged.Pass;
                slowest = Math.Max(slowest, rates[at].Converged.Slowest ?? 0);
            }

            if (everywhere)
            {
                byRate.Add(new TransferRate(rate.Lr, stable, new RateResult(rate.Lr, converged, converged ? slowest : null)));
            }
        }

        var convergedRange = RateRuns.ConvergedAround<TransferRate>(CollectionsMarshal.AsSpan(byRate));
        var stableRange = StableRange(byRate, convergedRange);
        return new TransferSummary
        {
            Setting = setting,
            Datasets = datasets.Count,
            StableLow = stableRange?.Low,
            StableHigh = stableRange?.High,
            ConvergedLow = convergedRange?.Low,
            ConvergedHigh = convergedRange?.High,
            Unknown = stableRange is null && byRate.Any(r => r.Stable is null),
        };
    }

    /// <summary>
    /// The stretch of rates stable on every dataset: no rate in it unstable anywhere (a rate no run votes on does not
    /// cut it), from its lowest to its highest rate stable everywhere. The one holding the converged range when there
    /// is one (it lies inside some stretch: a converged rate is stable), else the one with the most stable rates.
    /// </summary>
    private static (double Low, double High)? StableRange(List<TransferRate> rates, (double Low, double High)? converged)
    {
        (double Low, double High)? best = null;
        var bestCount = 0;
        var (low, high, count) = (double.NaN, double.NaN, 0);
        for (var i = 0; i <= rates.Count; i++)
        {
            if (i < rates.Count && rates[i].Stable != false)
            {
                if (rates[i].Stable == true)
                {
                    (low, high, count) = (count == 0 ? rates[i].Lr : low, rates[i].Lr, count + 1);
                }

                continue;
            }

            // The stretch ends here.
            if (count > 0)
            {
                var holds = converged is { } c && c.Low >= low && c.High <= high;
                if (holds || (converged is null && count > bestCount) || best is null)
                {
                    (best, bestCount) = ((low, high), count);
                }

                if (holds)
                {
                    return best;
                }
            }

            (low, high, count) = (double.NaN, double.NaN, 0);
        }

        return best;
    }

    /// <summary>One rate tried on every dataset of a setting: stable on all (null: unknown on one), converged on all.</summary>
    private readonly record struct TransferRate(double Lr, bool? Stable, RateResult Converged) : IConvergedAt;

    private static readonly Comparer<Rate> ByRate = Comparer<Rate>.Create((a, b) => a.Lr.CompareTo(b.Lr));

    /// <summary>The transfer answer in words; over one dataset it asks nothing across datasets.</summary>
    internal static string Statement(int datasets, (double Low, double High)? stable, (double Low, double High)? converged, bool unknown)
    {
        var ci = CultureInfo.InvariantCulture;
        var on = datasets == 1 ? "" : $" on all {Plural.Of(datasets, "dataset")}";
        return stable is not { } s
            ? unknown
                ? $"no learning rate tried is known to be stable{on}: where none was unstable, runs were still in transit (the budget cannot tell)"
                : $"no learning rate tried is stable{on}"
            : converged is not { } c
                ? string.Create(ci, $"stable{on} for lr in [{s.Low:G4}, {s.High:G4}], but no rate converged{(datasets == 1 ? "" : " on all")}")
                : string.Create(ci, $"stable{on} for lr in [{s.Low:G4}, {s.High:G4}]; converged{(datasets == 1 ? "" : " on all")} for lr in [{c.Low:G4}, {c.High:G4}]");
    }
}
