using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Results;

/// <summary>
/// What a folder holds so far, as the live report reads it: a part checked once is not hashed again while it and its
/// record are unchanged, and a part changed since is caught all the same.
/// </summary>
[TestClass]
public sealed class CommittedTests
{
    [TestMethod]
    public async Task A_part_changed_after_it_was_checked_is_damaged_though_its_check_was_kept()
    {
        var folder = await Some.SweepAsync(Some.Config(), batchSize: 100);
        var verified = new Dictionary<string, Committed.Verified>(StringComparer.Ordinal);

        var first = Committed.SoFar(folder, verified);
        var parts = first.Table.Count;
        Assert.IsGreaterThan(2, parts);
        Assert.HasCount(2 * parts, verified, "every runs and curves file checked is kept");
        Assert.IsEmpty(first.Damaged);

        // Unchanged: the same parts, from the kept checks.
        var again = Committed.SoFar(folder, verified);
        CollectionAssert.AreEqual(first.Table, again.Table);

        // One byte of one part changed, its size the same: its time of change moves, so it is hashed again and fails.
        var victim = first.Table[1].Curves.File;
        var path = Path.Combine(folder, victim);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));

        await Task.Delay(TimeSpan.FromSeconds(5.5)); // past the moments a record may be ahead of its file (a write in progress)
        var after = Committed.SoFar(folder, verified);
        Assert.HasCount(parts - 1, after.Table);
        Assert.IsFalse(after.Table.Any(p => p.Curves.File == victim));
        Assert.HasCount(1, after.Damaged);
        StringAssert.Contains(after.Damaged[0], "SHA-256");
    }
}
