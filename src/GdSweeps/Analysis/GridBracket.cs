using GdSweeps.Training;

namespace GdSweeps.Analysis;

/// <summary>
/// What a group's grid runs say of its stability edge, where an edge search starts: the smallest rate whose runs are
/// unstable, the largest below it whose runs are stable (each rate's verdict over its seeds,
/// <see cref="RunStatuses.Verdict"/>; rates whose runs say nothing are passed over), and the grid's lowest and
/// highest rates.
/// </summary>
internal readonly record struct GridBracket(double? Stable, double? Unstable, double Lowest, double Highest)
{
    /// <summary>The bracket of a group's runs (refinement runs are left out: the search starts from the grid).</summary>
    /// <param name="points">The group's runs, in any order.</param>
    /// <returns>Null when the group has no grid run.</returns>
    public static GridBracket? Of(IEnumerable<RunPoint> points)
    {
        var grid = points.Where(p => !p.Refinement).OrderBy(p => p.LearningRate).ToList();
        if (grid.Count == 0)
        {
            return null;
        }

        double? stable = null, unstable = null;
        for (var i = 0; i < grid.Count && unstable is null;)
        {
            var rate = grid[i].LearningRate;
            var verdict = new RunStatuses.VerdictOf();
            for (; i < grid.Count && grid[i].LearningRate == rate; i++)
            {
                verdict.Add(grid[i].Status);
            }

            switch (verdict.Result)
            {
                case true:
                    stable = rate;
                    break;
                case false:
                    unstable = rate;
                    break;
            }
        }

        return new GridBracket(stable, unstable, grid[0].LearningRate, grid[^1].LearningRate);
    }

    /// <summary>
    /// Whether an edge search starts here: the grid brackets the edge, or every rate that says anything says the
    /// same and the grid's end is one of them (the search goes beyond it). Past rates that said nothing (runs still in
    /// transit) it does not go: it would try them again, and the edge cannot be told there within the budget anyway.
    /// </summary>
    public bool Searchable => (Stable is not null && Unstable is not null) || (Stable is not null && Stable == Highest) || (Unstable is not null && Unstable == Lowest);
}
