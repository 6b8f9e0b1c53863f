using GdSweeps.Analysis;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Results;

namespace GdSweeps.Running;

/// <summary>
/// Bisects each group's stability edge between the largest stable and the smallest unstable learning rate the grid
/// found, in log space, until they are within the config's relative tolerance. All groups advance together, one
/// round at a time, so each round's runs go out in parallel. The bisection is a pure function of the stored
/// statuses, so a rerun (or a merge) replays it and finds its runs stored.
/// </summary>
public static class Refinement
{
    /// <summary>Trains the given runs (not yet stored) and returns their statuses by run id.</summary>
    public delegate Task<IReadOnlyDictionary<string, string>> Compute(IReadOnlyList<RunSpec> runs, CancellationToken ct);

    /// <summary>The refinement runs, in their canonical order, computing those not yet in <paramref name="statuses"/>.</summary>
    /// <param name="statuses">Every stored run's status by id; refinement results are added to it.</param>
    public static async Task<List<RunSpec>> RunAsync(
        SweepConfig config, StoredRuns statuses, Compute compute, CancellationToken ct)
    {
        var refined = new List<RunSpec>();
        if (config.Refine is not { } tolerance || config.Zips.Any(z => z.Contains("learning_rates")))
        {
            return refined;
        }

        var gridCount = SweepGrid.Count(config);
        var groups = Groups(config, statuses);
        while (groups.Count > 0)
        {
            var round = new List<(Bracket Group, double Lr, List<RunSpec> Runs)>();
            var index = gridCount + refined.Count;
            foreach (var g in groups)
            {
                var lr = Math.Sqrt(g.Stable * g.Unstable);
                round.Add((g, lr, g.Points.Select(p => SweepGrid.Spec(config, p, index++, lr)).ToList()));
            }

            var missing = round.SelectMany(r => r.Runs).Where(r => !statuses.ContainsKey(r.RunId)).ToList();
            if (missing.Count > 0)
            {
                foreach (var (id, status) in await compute(missing, ct))
                {
                    statuses[id] = status;
                }
            }

            var next = new List<Bracket>();
            foreach (var (g, lr, runs) in round)
            {
                refined.AddRange(runs);
                var verdict = StabilityAnalysis.Verdict(runs.Select(r => statuses[r.RunId]));
                if (verdict is null)
                {
                    continue; // the runs there say nothing (failed or uninformative): stop refining this group
                }

                var bracket = verdict.Value ? g with { Stable = lr } : g with { Unstable = lr };
                if (bracket.Unstable / bracket.Stable > 1 + tolerance)
                {
                    next.Add(bracket);
                }
            }

            groups = next;
        }

        return refined;
    }

    /// <summary>A group being refined: its grid points (one per seed, learning rate to be replaced) and its bracket.</summary>
    private sealed record Bracket(List<int[]> Points, double Stable, double Unstable);

    private static List<Bracket> Groups(SweepConfig config, StoredRuns statuses)
    {
        var seedAxis = SweepGrid.FreeAxes.Seed;
        var byGroup = new Dictionary<string, (List<int[]> Points, Dictionary<double, List<string>> Rates)>();
        long index = 0;
        foreach (var point in SweepGrid.Points(config))
        {
            var spec = SweepGrid.Spec(config, point, index++);
            if (!byGroup.TryGetValue(spec.GroupId, out var group))
            {
                group = ([], []);
                byGroup[spec.GroupId] = group;
            }

            if (!group.Points.Any(p => p[seedAxis] == point[seedAxis]))
            {
                group.Points.Add(point);
            }

            if (!group.Rates.TryGetValue(spec.LearningRate, out var ids))
            {
                ids = [];
                group.Rates[spec.LearningRate] = ids;
            }

            ids.Add(spec.RunId);
        }

        var brackets = new List<Bracket>();
        foreach (var (points, rates) in byGroup.Values)
        {
            var verdicts = rates.OrderBy(r => r.Key)
                .Select(r => (Lr: r.Key, Verdict: StabilityAnalysis.Verdict(r.Value.Select(id => statuses.GetValueOrDefault(id, "failed")))))
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

            brackets.Add(new Bracket(points, stable.Lr, unstable.Lr));
        }

        return brackets;
    }
}
