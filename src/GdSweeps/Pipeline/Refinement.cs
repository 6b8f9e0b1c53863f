using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Pipeline;

/// <summary>
/// Finds each group's stability edge wherever it is: between the largest stable and the smallest unstable learning rate
/// the grid found, by bisection in log space until they are within the config's relative tolerance; beyond the grid,
/// when every rate tried was stable (or every one unstable), by going out a decade at a time first
/// (<see cref="EdgeSearch"/>).
/// All groups advance together, one round at a time, so each round's runs go out in parallel. The search is a pure
/// function of the stored statuses, so a rerun (or a merge) replays it and finds its runs stored.
/// </summary>
internal static class Refinement
{
    /// <summary>Stores the given runs (computing those not stored yet) and returns their statuses.</summary>
    public delegate Task<IReadOnlyList<RunStatus>> Compute(IReadOnlyList<RunSpec> runs, CancellationToken ct);

    /// <summary>
    /// The refinement runs, in their canonical order, computing those not yet in <paramref name="statuses"/>.
    /// </summary>
    /// <param name="statuses">Every stored run's status by id; refinement results are added to it.</param>
    public static async Task<List<RunSpec>> RunAsync(
        double tolerance, GridIndex grid, StoredRuns statuses, Compute compute, CancellationToken ct)
    {
        var refined = new List<RunSpec>();
        var searches = Searches(grid, statuses);
        while (true)
        {
            var round = new List<(EdgeSearch Search, double Lr, List<RunSpec> Runs)>();
            long index = grid.Ids.Count + refined.Count;
            foreach (var search in searches)
            {
                if (search.Next(tolerance) is { } lr)
                {
                    round.Add((search, lr, [.. search.Group.Templates.Select(t => SweepGrid.AtRate(t, lr, index++))]));
                }
            }

            if (round.Count == 0)
            {
                return refined;
            }

            // Every round goes to the store, stored or not: its runs are the next parts of the table.
            var all = round.SelectMany(r => r.Runs).ToList();
            var computed = await compute(all, ct);
            for (var i = 0; i < all.Count; i++)
            {
                statuses[all[i].Id] = computed[i];
            }

            searches = [];
            foreach (var (search, lr, runs) in round)
            {
                refined.AddRange(runs);

                // Runs that say nothing (failed or uninformative) end the group's search.
                if (RunStatuses.Verdict(runs.Select(r => statuses[r.Id])) is { } stable)
                {
                    search.Record(lr, stable);
                    searches.Add(search);
                }
            }
        }
    }

    /// <summary>
    /// A search per group whose grid says anything: its bracket, or the end of the grid to go beyond.
    /// </summary>
    private static List<EdgeSearch> Searches(GridIndex grid, StoredRuns statuses)
    {
        var searches = new List<EdgeSearch>();
        foreach (var group in grid.Groups)
        {
            var verdicts = group.Rates.GroupBy(r => r.Rate).OrderBy(r => r.Key)
                .Select(r => (Lr: r.Key, Verdict: RunStatuses.Verdict(r.Select(x => statuses.TryGetValue(x.Run, out var s) ? s : RunStatus.Failed))))
                .Where(v => v.Verdict is not null)
                .ToList();
            var unstable = verdicts.Where(v => v.Verdict == false).Select(v => (double?)v.Lr).FirstOrDefault();
            var stable = verdicts.Where(v => v.Verdict == true && (unstable is null || v.Lr < unstable)).Select(v => (double?)v.Lr).LastOrDefault();

            // Beyond the grid only from its end: past rates that said nothing (runs still in transit), going out would
            // try them again, and the edge cannot be told there within the budget anyway.
            var (lowest, highest) = (group.Rates.Min(r => r.Rate), group.Rates.Max(r => r.Rate));
            var bracketed = stable is not null && unstable is not null;
            if (bracketed || (stable is not null && stable == highest) || (unstable is not null && unstable == lowest))
            {
                searches.Add(new EdgeSearch(group, stable, unstable));
            }
        }

        return searches;
    }
}
