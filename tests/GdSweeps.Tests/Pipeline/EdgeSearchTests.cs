namespace GdSweeps.Tests.Pipeline;

/// <summary>
/// The search for one group's edge always ends: beyond the grid, in the bisection, and at the ends of the doubles.
/// </summary>
[TestClass]
public sealed class EdgeSearchTests
{
    private static readonly GridIndex.Group Group = new(default);

    /// <summary>Drives a search against a true edge; returns every rate it tried.</summary>
    private static List<double> Drive(EdgeSearch search, Func<double, bool> stableAt, double tolerance = 0.01)
    {
        var tried = new List<double>();
        while (search.Next(tolerance) is { } lr)
        {
            Assert.IsTrue(lr > 0 && double.IsFinite(lr), $"{lr}");
            Assert.IsLessThan(1000, tried.Count, "the search ends");
            tried.Add(lr);
            search.Record(lr, stableAt(lr));
        }

        return tried;
    }

    [TestMethod]
    public void A_group_stable_at_every_grid_rate_goes_up_by_decades_and_then_bisects_to_the_edge()
    {
        var search = new EdgeSearch(Group, stable: 1e-3, unstable: null);

        var tried = Drive(search, lr => lr < 0.0198);

        CollectionAssert.AreEqual(new[] { 1e-2, 1e-1 }, tried.Take(2).ToArray());
        Assert.IsLessThan(0.0198, search.Stable!.Value);
        Assert.IsGreaterThanOrEqualTo(0.0198, search.Unstable!.Value);
        Assert.IsLessThanOrEqualTo(1.01, search.Unstable.Value / search.Stable.Value);
    }

    [TestMethod]
    public void A_group_unstable_at_every_grid_rate_goes_down_by_decades_and_then_bisects_to_the_edge()
    {
        var search = new EdgeSearch(Group, stable: null, unstable: 0.1);

        Drive(search, lr => lr < 2e-4);

        Assert.IsLessThan(2e-4, search.Stable!.Value);
        Assert.IsLessThanOrEqualTo(1.01, search.Unstable!.Value / search.Stable.Value);
    }

    [TestMethod]
    public void Going_beyond_the_grid_stops_at_a_million_times_its_end()
    {
        var up = new EdgeSearch(Group, stable: 1, unstable: null);
        var down = new EdgeSearch(Group, stable: null, unstable: 1);

        var above = Drive(up, _ => true);
        var below = Drive(down, _ => false);

        Assert.HasCount(EdgeSearch.MaxExtensions, above);
        Assert.AreEqual(1e6, above[^1], 1e-3);
        Assert.HasCount(EdgeSearch.MaxExtensions, below);
        Assert.AreEqual(1e-6, below[^1], 1e-18);
        Assert.IsNull(up.Unstable);
        Assert.IsNull(down.Stable);
    }

    [TestMethod]
    public void Near_the_ends_of_the_doubles_no_rate_tried_is_zero_infinite_or_an_end_of_the_bracket()
    {
        Drive(new EdgeSearch(Group, stable: 1e305, unstable: null), _ => true);
        Drive(new EdgeSearch(Group, stable: null, unstable: 1e-305), _ => false);
        Drive(new EdgeSearch(Group, stable: 1e300, unstable: double.MaxValue), _ => true);

        var adjacent = new EdgeSearch(Group, stable: 1, unstable: Math.BitIncrement(1.0));
        Assert.IsNull(adjacent.Next(tolerance: 1e-300));
    }

    [TestMethod]
    public void A_tolerance_finer_than_the_doubles_still_ends_within_the_cap_on_halvings()
    {
        var search = new EdgeSearch(Group, stable: 1, unstable: 10);

        var tried = Drive(search, lr => lr < Math.PI, tolerance: 1e-300);

        Assert.IsLessThanOrEqualTo(EdgeSearch.MaxBisections, tried.Count);
        Assert.IsLessThanOrEqualTo(Math.PI, search.Unstable!.Value);
        Assert.IsGreaterThan(search.Stable!.Value, search.Unstable.Value);
    }
}
