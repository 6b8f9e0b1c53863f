using GdSweeps.Numerics;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Configs;

/// <summary>
/// A range is held as a range: ten million learning rates cost nothing until read, read as the same bits an array of
/// them holds, and a range finer than doubles is an error at its place.
/// </summary>
[TestClass]
public sealed class RangeAxisTests
{
    private static string Seed(string rates) => Some.SeedYaml.Replace("learning_rates:\n  logspace: {from: 1.0e-6, to: 1, per_decade: 4}", $"learning_rates: {rates}", StringComparison.Ordinal);

    [TestMethod]
    public void Ten_million_rates_load_without_their_values_being_made()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var plan = Some.Config(Seed("{logspace: {from: 1.0e-4, to: 1, count: 10000000}}") + "\nmax_runs: 200000000\n");
        var grid = new GdSweeps.Grid.SweepGrid(plan);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(2L * 2 * 4 * 10_000_000, grid.Count, "2 datasets x 2 transforms x 4 clips x 10^7 rates");
        Assert.IsLessThan(16L << 20, allocated, "bytes allocated to load it: an array of the rates alone is 80 MB");
        var rates = plan.Axes.Get(GdSweeps.Configs.SweepAxes.LearningRates);
        Assert.AreEqual(10_000_000, rates.Count);
        Assert.AreEqual(1e-4, rates.At(0));
        Assert.AreEqual(1.0, rates.At(9_999_999));
    }

    [TestMethod]
    [DataRow(false, -5.0, 5.0, 100)]
    [DataRow(true, 1e-4, 1.0, 1000)]
    [DataRow(true, 3e-7, 2.5, 7)]
    [DataRow(false, 0.5, 0.5, 1)]
    public void A_range_reads_as_numpy_computes_it_each_value_from_its_index(bool log, double from, double to, int count)
    {
        var kind = log ? RangeKind.Log : RangeKind.Linear;
        // numpy.linspace: from + i * (to - from) / (count - 1), the last exactly `to`; logspace: 10 ** linspace(log10).
        var (a, b) = kind == RangeKind.Log ? (Math.Log10(from), Math.Log10(to)) : (from, to);
        var range = new RangeValues(kind, from, to, count);
        for (var i = 0; i < count; i++)
        {
            var spaced = count == 1 ? a : i == count - 1 ? b : a + (i * ((b - a) / (count - 1)));
            Assert.AreEqual(kind == RangeKind.Log ? Math.Pow(10, spaced) : spaced, range[i], $"value {i}");
        }

        CollectionAssert.AreEqual(range.ToArray(), kind == RangeKind.Log ? Ranges.Logspace(from, to, count) : Ranges.Linspace(from, to, count));
    }

    [TestMethod]
    public void A_range_finer_than_doubles_is_an_error_at_its_place()
    {
        var error = Assert.ThrowsExactly<GdSweeps.Configs.ConfigException>(() => Some.Config(Seed("{linspace: {from: 1, to: 1.000000000001, count: 1000000}}")));

        StringAssert.Contains(error.Errors[0].ToString(), "is listed twice: the range is finer than doubles can tell apart");
        StringAssert.Contains(error.Errors[0].ToString(), "learning_rates");
    }
}
