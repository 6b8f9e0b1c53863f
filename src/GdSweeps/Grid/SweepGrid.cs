using GdSweeps.Configs;
using GdSweeps.Plan;

namespace GdSweeps.Grid;

/// <summary>
/// The product of a plan's axes by name, in grid order (the last axis varies fastest), with zipped axes moving
/// together and excluded combinations left out. A pure function of the plan; each run's identity is built once.
/// </summary>
internal sealed class SweepGrid
{
    private readonly Dimension[] dimensions;
    private readonly Rule[] rules;
    private readonly Axis<double> rates;
    private readonly int rateAxis;

    /// <exception cref="ConfigException">The exclusions leave no run.</exception>
    public SweepGrid(SweepPlan plan)
    {
        Plan = plan;
        var axes = plan.Axes;
        var placed = new HashSet<string>();
        var dims = new List<Dimension>();
        foreach (var axis in axes.All.Where(a => !placed.Contains(a.Name)))
        {
            var zip = plan.Config.Zips.FirstOrDefault(z => z.Contains(axis.Name)) ?? [axis.Name];
            var members = zip.Select(axes.IndexOf).Order().ToArray();
            placed.UnionWith(zip);
            dims.Add(new Dimension(members, axes.All[members[0]].Count));
        }

        dimensions = [.. dims];
        rules = [.. plan.Config.Excludes.Select(r => new Rule([.. r.Accepted.Select(kv => (axes.IndexOf(kv.Key), kv.Value))]))];
        rates = plan.Config.Get(SweepAxes.LearningRates);
        rateAxis = axes.IndexOf(SweepAxes.LearningRates);
        Count = CountRuns();
        if (Count == 0)
        {
            var mark = (plan.Config.Excludes.Count > 0 ? plan.Config.Excludes[0].Mark : default) with { Key = "exclude" };
            throw new ConfigException(ConfigError.At(plan.Config.SourcePath, mark, "the exclusions leave no run"));
        }
    }

    public SweepPlan Plan { get; }

    /// <summary>
    /// The number of runs, from the axis lengths alone (exclusions by inclusion and exclusion): nothing is enumerated.
    /// </summary>
    public long Count { get; }

    /// <summary>Every run, lazily, in grid order.</summary>
    public IEnumerable<RunSpec> Runs()
    {
        var identity = new RunIdentity(Plan.Config);
        long index = 0;
        foreach (var point in Points())
        {
            yield return Spec(point, index++, identity);
        }
    }

    /// <summary>
    /// The run of the same group and seed as <paramref name="run"/> at another learning rate: a refinement run.
    /// </summary>
    public static RunSpec AtRate(RunSpec run, double learningRate, long index) => run with
    {
        Index = index,
        LearningRate = learningRate,
        Id = RunIdentity.Of(run.GroupId, run.Get(SweepAxes.Seeds), learningRate),
        IsRefinement = true,
    };

    /// <summary>The index of each axis's value at every grid point, after zips and exclusions.</summary>
    public IEnumerable<int[]> Points()
    {
        var digits = new int[dimensions.Length];
        while (true)
        {
            var point = new int[Plan.Axes.Count];
            for (var d = 0; d < dimensions.Length; d++)
            {
                foreach (var axis in dimensions[d].Axes)
                {
                    point[axis] = digits[d];
                }
            }

            if (!Excluded(point))
            {
                yield return point;
            }

            var k = dimensions.Length - 1;
            while (k >= 0 && ++digits[k] == dimensions[k].Length)
            {
                digits[k--] = 0;
            }

            if (k < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Whether an exclusion rule drops the grid point (a loop: a lambda here would be one more object a run).</summary>
    private bool Excluded(int[] point)
    {
        foreach (var rule in rules)
        {
            if (rule.Matches(point))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The run at grid point <paramref name="point"/>, its ids from <paramref name="identity"/> (one per thread).
    /// </summary>
    public RunSpec Spec(int[] point, long index, RunIdentity identity)
    {
        var (group, id) = identity.Of(point);
        return new RunSpec
        {
            Index = index,
            Id = id,
            GroupId = group,
            Axes = Plan.Axes,
            Point = point,
            Problem = Plan.ProblemAt(point),
            LearningRate = rates[point[rateAxis]],
        };
    }

    /// <summary>
    /// What the run at <paramref name="point"/> computes, as <see cref="Problem"/>, optimizer and budget: for cutting
    /// batches before the runs are built.
    /// </summary>
    public (Problem Problem, OptimizerSpec Optimizer, int Steps) Work(int[] point) =>
        (Plan.ProblemAt(point), Plan.Axes.ValueAt(SweepAxes.Optimizer, point), Plan.Axes.ValueAt(SweepAxes.Steps, point));

    /// <summary>
    /// Runs in the full product minus the union of the excluded sets, each a product of accepted values per dimension.
    /// </summary>
    private long CountRuns()
    {
        if (dimensions.Any(d => d.Length == 0))
        {
            return 0;
        }

        var total = Product([]);
        if (total == long.MaxValue)
        {
            return total; // past what a count holds: the exclusions cannot bring it into reach
        }

        if (rules.Length <= 12)
        {
            for (var subset = 1; subset < 1 << rules.Length; subset++)
            {
                var chosen = Enumerable.Range(0, rules.Length).Where(r => (subset >> r & 1) == 1).Select(r => rules[r]).ToArray();
                total += (chosen.Length % 2 == 1 ? -1 : 1) * Product(chosen);
            }

            return total;
        }

        // Many rules: enumerate only the dimensions some rule constrains.
        var constrained = dimensions.Where(d => rules.Any(r => r.Constrains(d))).ToArray();
        var free = dimensions.Except(constrained).Aggregate(1L, (n, d) => Times(n, d.Length));
        long kept = 0;
        var digits = new int[constrained.Length];
        var point = new int[Plan.Axes.Count];
        while (true)
        {
            for (var d = 0; d < constrained.Length; d++)
            {
                foreach (var axis in constrained[d].Axes)
                {
                    point[axis] = digits[d];
                }
            }

            kept += Excluded(point) ? 0 : 1;
            var k = constrained.Length - 1;
            while (k >= 0 && ++digits[k] == constrained[k].Length)
            {
                digits[k--] = 0;
            }

            if (k < 0)
            {
                return Times(kept, free);
            }
        }
    }

    /// <summary>How many grid points every rule in <paramref name="chosen"/> matches (all points when none).</summary>
    private long Product(Rule[] chosen)
    {
        long product = 1;
        foreach (var dimension in dimensions)
        {
            long accepted = 0;
            for (var i = 0; i < dimension.Length; i++)
            {
                accepted += chosen.All(r => r.Accepts(dimension, i)) ? 1 : 0;
            }

            product = Times(product, accepted);
        }

        return product;
    }

    /// <summary>
    /// <paramref name="a"/> times <paramref name="b"/>, or <see cref="long.MaxValue"/> past it: a count saturates, so a
    /// grid of 10^19 runs reads as "more than 9.2e18", never an overflow.
    /// </summary>
    private static long Times(long a, long b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;

    /// <summary>Axes that move together (a zip group, or one axis alone) and their common length.</summary>
    private sealed record Dimension(int[] Axes, int Length);

    /// <summary>
    /// An exclusion: per constrained axis, which of its values it accepts; a point matching all of them is left out.
    /// </summary>
    private sealed record Rule((int Axis, bool[] Accepted)[] Constraints)
    {
        public bool Matches(int[] point) => Constraints.All(c => c.Accepted[point[c.Axis]]);

        public bool Constrains(Dimension d) => Constraints.Any(c => d.Axes.Contains(c.Axis));

        public bool Accepts(Dimension d, int index) => Constraints.Where(c => d.Axes.Contains(c.Axis)).All(c => c.Accepted[index]);
    }
}
