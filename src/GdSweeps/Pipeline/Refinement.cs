using GdSweeps.Analysis;
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
    /// The refinement runs, in their canonical order, computing those not stored yet.
    /// </summary>
    /// <param name="gridRuns">How many runs the grid has: refinement runs are numbered after them.</param>
    /// <param name="grid">The grid's groups, each with a run per seed to make refinement runs of.</param>
    /// <param name="bracketOf">What each group's grid runs say of its edge (null for a group none is stored of).</param>
    public static async Task<List<RunSpec>> RunAsync(
        double tolerance, long gridRuns, GridIndex grid, Func<RunId, GridBracket?> bracketOf, Compute compute, CancellationToken ct)
    {
        var refined = new List<RunSpec>();
        var searches = grid.Groups.Select(g => (Group: g, Bracket: bracketOf(g.Id)))
            .Where(g => g.Bracket is { Searchable: true })
            .Select(g => new EdgeSearch(g.Group, g.Bracket!.Value.Stable, g.Bracket.Value.Unstable))
            .ToList();
        while (true)
        {
            var round = new List<(EdgeSearch Search, double Lr, List<RunSpec> Runs)>();
            var index = gridRuns + refined.Count;
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
            searches = [];
            var at = 0;
            foreach (var (search, lr, runs) in round)
            {
                refined.AddRange(runs);

                // Runs that say nothing (failed or uninformative) end the group's search.
                if (RunStatuses.Verdict(computed.Skip(at).Take(runs.Count)) is { } stable)
                {
                    search.Record(lr, stable);
                    searches.Add(search);
                }

                at += runs.Count;
            }
        }
    }
}
