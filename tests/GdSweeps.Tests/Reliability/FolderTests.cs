using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>A results folder belongs to one sweep: nothing another sweep or the user keeps there is lost.</summary>
[TestClass]
public sealed class FolderTests
{
    private static Task<SweepSession.Outcome> Run(SweepPlan plan, string dir, bool replace = false, bool prune = false) =>
        SweepSession.RunAsync(plan, dir, new RunOptions(2, Replace: replace, Prune: prune), null, CancellationToken.None);

    private static SweepPlan Other => Some.Config(Some.SeedYaml.Replace("name: seed", "name: other", StringComparison.Ordinal)
        .Replace("clip: [none, 1, 10, 100]", "clip: none", StringComparison.Ordinal));

    private static Dictionary<string, byte[]> Snapshot(string dir, string? but = null) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.gdsweeps/", StringComparison.Ordinal) && Path.GetRelativePath(dir, f) != but)
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    [TestMethod]
    public async Task A_second_sweep_into_a_finished_sweeps_folder_is_refused_and_the_first_kept_byte_for_byte()
    {
        var dir = Some.TempDir();
        await Run(Some.Config(), dir);
        var before = Snapshot(dir);

        var error = await Assert.ThrowsExactlyAsync<FolderTakenException>(() => Run(Other, dir));

        StringAssert.Contains(error.Message, "holds the sweep 'seed'");
        StringAssert.Contains(error.Message, "--replace");
        var after = Snapshot(dir);
        CollectionAssert.AreEquivalent(before.Keys.ToList(), after.Keys.ToList());
        foreach (var (file, bytes) in before)
        {
            CollectionAssert.AreEqual(bytes, after[file], file);
        }
    }

    [TestMethod]
    public async Task Replace_asked_for_replaces_the_other_sweep_whole()
    {
        var dir = Some.TempDir();
        await Run(Some.Config(), dir);

        var outcome = await Run(Other, dir, replace: true);

        Assert.IsTrue(outcome.Complete);
        Assert.AreEqual("other", Manifest.Read(Path.Combine(dir, Manifest.FileName))!.Sweep);
        Assert.HasCount(100, await Stored.RunsAsync(dir));
        Assert.IsFalse(Directory.Exists(Path.Combine(dir, ResultFolder.ReuseFolder)) && Directory.EnumerateFiles(Path.Combine(dir, ResultFolder.ReuseFolder)).Any(),
            "the other sweep's runs went with it");
    }

    [TestMethod]
    public async Task A_folder_of_files_no_sweep_wrote_is_refused_and_left_as_it_was()
    {
        var dir = Some.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "runs"));
        File.WriteAllText(Path.Combine(dir, "report.md"), "my notes\n");
        File.WriteAllText(Path.Combine(dir, "summary.parquet"), "not parquet\n");
        File.WriteAllText(Path.Combine(dir, "runs", "mydata.parquet"), "mine\n");
        var before = Snapshot(dir);

        var error = await Assert.ThrowsExactlyAsync<FolderTakenException>(() => Run(Some.Config(), dir));

        StringAssert.Contains(error.Message, "holds files of no GdSweeps sweep (report.md, runs, summary.parquet)");
        CollectionAssert.AreEquivalent(before.Keys.ToList(), Snapshot(dir).Keys.ToList());
        Assert.AreEqual("mine\n", File.ReadAllText(Path.Combine(dir, "runs", "mydata.parquet")));
        Assert.IsFalse(Directory.Exists(Path.Combine(dir, ResultFolder.HiddenFolder)), "nothing written, not even the hidden area");
    }

    [TestMethod]
    public async Task Runs_an_edited_config_no_longer_asks_for_are_kept_aside_found_again_and_removed_only_when_asked()
    {
        var dir = Some.TempDir();
        await Run(Some.Config(), dir);
        var narrower = Some.Config(Some.SeedYaml.Replace("clip: [none, 1, 10, 100]", "clip: [none, 1]", StringComparison.Ordinal));

        var edited = await Run(narrower, dir);
        var kept = Directory.GetFiles(Path.Combine(dir, ResultFolder.ReuseFolder), "runs-*.parquet");
        var back = await Run(Some.Config(), dir);
        var again = await Run(Some.Config(), dir);
        var narrowed = await Run(narrower, dir);
        var pruned = await Run(narrower, dir, prune: true);

        Assert.AreEqual(200L, edited.Totals.Runs);
        Assert.IsNotEmpty(kept, "the clip 10 and 100 runs are kept aside");
        Assert.AreEqual(200L, edited.KeptAside, "exactly the runs no longer asked for, not the parts they came in");
        Assert.AreEqual(0L, back.Totals.Computed, "asked for again, they are copied back, not computed");
        Assert.AreEqual(400L, back.Totals.Reused);
        Assert.AreEqual(0L, back.KeptAside, "every run asked for again: the copies kept aside are gone, nothing lost");
        Assert.AreEqual(0L, again.KeptAside);
        Assert.AreEqual(200L, narrowed.KeptAside, "kept once, however often the config changed");
        Assert.AreEqual(0L, pruned.Totals.Computed);
        Assert.IsFalse(Directory.EnumerateFiles(Path.Combine(dir, ResultFolder.ReuseFolder)).Any(), "--prune removes them");
        Assert.HasCount(200, await Stored.RunsAsync(dir));
    }

    /// <summary>
    /// A manifest that cannot be read does not make the folder anyone's: another sweep is refused (the folder's own
    /// record names its sweep), the same sweep resumes.
    /// </summary>
    [TestMethod]
    [DataRow("damaged")]
    [DataRow("fifo")]
    public async Task A_folder_whose_manifest_cannot_be_read_is_refused_to_another_sweep_and_resumed_by_its_own(string how)
    {
        var dir = Some.TempDir();
        await Run(Some.Config(), dir);
        var manifest = Path.Combine(dir, Manifest.FileName);
        File.Delete(manifest);
        if (how == "fifo")
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [manifest]);
            mkfifo.WaitForExit();
        }
        else
        {
            File.WriteAllText(manifest, "{");
        }

        // (Snapshot reads no FIFO: the manifest is left out.)
        var before = Snapshot(dir, but: Manifest.FileName);
        var error = await Assert.ThrowsExactlyAsync<FolderTakenException>(() => Run(Other, dir));
        var after = Snapshot(dir, but: Manifest.FileName);
        if (how == "fifo")
        {
            File.Delete(manifest);
        }

        var own = await Run(Some.Config(), dir);

        StringAssert.Contains(error.Message, "holds a manifest that cannot be read");
        CollectionAssert.AreEquivalent(before.Keys.ToList(), after.Keys.ToList(), "nothing written");
        Assert.IsTrue(before.All(f => after[f.Key].AsSpan().SequenceEqual(f.Value)), "nothing changed");
        Assert.IsTrue(own.Complete);
        Assert.AreEqual(0L, own.Totals.Computed, "its own sweep resumes with every run stored");
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void The_command_refuses_another_sweeps_folder_with_exit_2_and_one_line()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "seed.yaml"), Some.SeedYaml);
        File.WriteAllText(Path.Combine(work, "other.yaml"), Some.SeedYaml.Replace("name: seed", "name: other", StringComparison.Ordinal));
        Assert.AreEqual(0, CliProcess.Run(work, "run", "seed.yaml", "--out", "R", "--quiet").ExitCode);

        var refused = CliProcess.Run(work, "run", "other.yaml", "--out", "R");
        var replaced = CliProcess.Run(work, "run", "other.yaml", "--out", "R", "--replace", "--quiet");

        Assert.AreEqual(2, refused.ExitCode);
        Assert.HasCount(1, refused.Stderr.Trim().Split('\n'), refused.Stderr);
        StringAssert.Contains(refused.Stderr, "R holds the sweep 'seed'");
        Assert.AreEqual(0, replaced.ExitCode, replaced.Stderr);
    }
}
