using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Pipeline;

/// <summary>
/// Bisects each group's stability edge between the largest stable and the smallest unstable learning rate the grid
/// found, in log space, until they are within the config's relative tolerance. All groups advance together, one
/// round at a time, so each round's runs go out in parallel. The bisection is a pure function of the stored
/// statuses, so a rerun (or a merge) replays it and finds its runs stored.
/// </summary>
internal static class Refinement
{
    /// <summary>Stores the given runs (computing those not stored yet) and returns their statuses.</summary>
    public delegate Task<IReadOnlyList<RunStatus>> Compute(IReadOnlyList<RunSpec> runs, CancellationToken ct);

    /// <summary>The refinement runs, in their canonical order, computing those not yet in <paramref name="statuses"/>.</summary>
    /// <param name="statuses">Every stored run's status by id; refinement results are added to it.</param>
    public static async Task<List<RunSpec>> RunAsync(
        double tolerance, GridIndex grid, StoredRuns statuses, Compute compute, CancellationToken ct)
    {
        var refined = new List<RunSpec>();
        var brackets = Brackets(grid, statuses);
        while (brackets.Count > 0)
        {
            var round = new List<(Bracket Group, double Lr, List<RunSpec> Runs)>();
            long index = grid.Ids.Count + refined.Count;
            foreach (var b in brackets)
            {
                var lr = Math.Sqrt(b.Stable * b.Unstable);
                round.Add((b, lr, [.. b.Group.Templates.Select(t => SweepGrid.AtRate(t, lr, index++))]));
            }

            // Every round goes to the store, stored or not: its runs are the next parts of the table.
            var all = round.SelectMany(r => r.Runs).ToList();
            var computed = await compute(all, ct);
            for (var i = 0; i < all.Count; i++)
            {
                statuses[all[i].Id] = computed[i];
            }

            var next = new List<Bracket>();
            foreach (var (b, lr, runs) in round)
            {
                refined.AddRange(runs);
                var verdict = RunStatuses.Verdict(runs.Select(r => statuses[r.Id]));
                if (verdict is null)
                {
                    continue; // the runs there say nothing (failed or uninformative): stop refining this group
                }

                var bracket = verdict.Value ? b with { Stable = lr } : b with { Unstable = lr };
                if (bracket.Unstable / bracket.Stable > 1 + tolerance)
                {
                    next.Add(bracket);
                }
            }

            brackets = next;
        }

        return refined;
    }

    /// <summary>A group being refined and its bracket: stable at <see cref="Stable"/>, unstable at <see cref="Unstable"/>.</summary>
    private sealed record Bracket(GridIndex.Group Group, double Stable, double Unstable);

    private static List<Bracket> Brackets(GridIndex grid, StoredRuns statuses)
    {
        var brackets = new List<Bracket>();
        foreach (var group in grid.Groups)
        {
            var verdicts = group.Rates.GroupBy(r => r.Rate).OrderBy(r => r.Key)
                .Select(r => (Lr: r.Key, Verdict: RunStatuses.Verdict(r.Select(x => statuses.TryGetValue(x.Run, out var s) ? s : RunStatus.Failed))))
                .ToList();
            var unstable = verdicts.FirstOrDefault(v => v.Verdict == false);
            if (unstable.Verdict is null)
            {
                continue;
            }

            var stable = verdicts.LastOrDefault(v => v.Verdict == true && v.Lr < unstable.Lr);
            if (stable.Verdict is null)
            {
                continue;
            }

            brackets.Add(new Bracket(group, stable.Lr, unstable.Lr));
        }

        return brackets;
    }
}
