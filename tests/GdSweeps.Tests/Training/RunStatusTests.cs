namespace GdSweeps.Tests.Training;

/// <summary>Every fact about a status lives in one table: each value has its row, and the rules read from it.</summary>
[TestClass]
public sealed class RunStatusTests
{
    [TestMethod]
    public void Every_status_has_one_row_with_a_unique_name_colour_and_rank()
    {
        var rows = RunStatuses.Rows;

        CollectionAssert.AreEqual(Enum.GetValues<RunStatus>(), rows.Select(r => r.Status).ToArray());
        Assert.HasCount(rows.Count, rows.Select(r => r.Name).Distinct().ToList());
        Assert.HasCount(rows.Count, rows.Select(r => r.Color).Distinct().ToList());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, rows.Count).ToArray(), rows.Select(r => r.Rank).ToArray());
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            Assert.IsTrue(RunStatuses.TryParse(status.Name(), out var parsed));
            Assert.AreEqual(status, parsed);
            Assert.AreEqual(status.Of().Vote == Vote.Stable, status.IsStable());
            Assert.AreEqual(status.Of().Vote == Vote.Unstable, status.IsUnstable());
        }

        Assert.IsFalse(RunStatuses.TryParse("stable", out _));
    }

    [TestMethod]
    public void Several_seeds_at_one_rate_show_the_least_stable_and_vote_unstable_if_any_is()
    {
        foreach (var a in Enum.GetValues<RunStatus>())
        {
            foreach (var b in Enum.GetValues<RunStatus>())
            {
                var worst = RunStatuses.Worst([a, b]);
                Assert.AreEqual(Math.Min(a.Of().Rank, b.Of().Rank), worst.Of().Rank);
                var verdict = RunStatuses.Verdict([a, b]);
                var expected = a.IsUnstable() || b.IsUnstable() ? false : a.IsStable() || b.IsStable() ? true : (bool?)null;
                Assert.AreEqual(expected, verdict, $"{a.Name()} and {b.Name()}");
            }
        }

        Assert.AreEqual(RunStatus.Failed, RunStatuses.Worst([RunStatus.Converged, RunStatus.Failed]));
        Assert.IsNull(RunStatuses.Verdict([RunStatus.Failed, RunStatus.Uninformative]));
    }
}
