using System.Runtime.InteropServices;
using GdSweeps.Configs;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>Sweeps that are killed, interrupted or rerun end with exactly the rows of an uninterrupted sweep.</summary>
[TestClass]
public sealed class ResumeTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private static string Results(string work) => Path.Combine(work, "results", "slow");

    private static byte[] RunsBytes(string dir) => Stored.TableBytes(dir);

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_sweep_killed_part_way_then_rerun_equals_an_uninterrupted_sweep()
    {
        var reference = SlowSweep.Folder();
        Assert.AreEqual(0, CliProcess.Run(reference, "run", "slow.yaml", "--quiet").ExitCode);

        var work = SlowSweep.Folder();
        using (var process = SlowSweep.StartAndWaitForParts(work, 3))
        {
            Assert.AreEqual(0, kill(process.Id, SigKill));
            process.WaitForExit();
        }

        Assert.IsFalse(File.Exists(Path.Combine(Results(work), "summary.parquet")), "a killed sweep has no summary");
        foreach (var part in Stored.Parts(Results(work)))
        {
            Assert.IsNotEmpty(RunsFile.ReadIdsAsync(part).GetAwaiter().GetResult(), "every stored part is whole and readable");
        }

        var resumed = CliProcess.Run(work, "run", "slow.yaml", "--quiet");

        Assert.AreEqual(0, resumed.ExitCode, resumed.Stderr);
        CollectionAssert.AreEqual(RunsBytes(Results(reference)), RunsBytes(Results(work)));
        var manifest = Manifest.Read(Path.Combine(Results(work), Manifest.FileName))!;
        Assert.AreEqual("complete", manifest.State);
        Assert.IsGreaterThan(0L, manifest.Reused);
        Assert.AreEqual(manifest.Runs, manifest.Reused + manifest.Computed);
    }

    [TestMethod]
    [DataRow(SigInt, 130)]
    [DataRow(SigTerm, 143)]
    [TestCategory(TestTiers.Process)]
    public void A_signal_stops_the_sweep_promptly_marks_it_interrupted_and_a_rerun_finishes_it(int signal, int exitCode)
    {
        var work = SlowSweep.Folder();
        using var process = SlowSweep.StartAndWaitForParts(work, 2);

        Assert.AreEqual(0, kill(process.Id, signal));
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(20)), "the sweep did not stop within 20 s of the signal");

        Assert.AreEqual(exitCode, process.ExitCode);
        var manifest = Manifest.Read(Path.Combine(Results(work), Manifest.FileName))!;
        Assert.AreEqual("interrupted", manifest.State);
        Assert.IsNotNull(manifest.Ended);
        Assert.IsGreaterThan(0L, manifest.Runs, "the runs stored before the signal are counted");
        Assert.AreEqual(manifest.Runs, manifest.Computed);
        StringAssert.Contains(File.ReadAllText(Path.Combine(Results(work), "gdsweeps.log")), "[WRN] Interrupted: finished runs are stored",
            "the log holds the warning stderr shows");

        var rerun = CliProcess.Run(work, "run", "slow.yaml", "--quiet");
        Assert.AreEqual(0, rerun.ExitCode, rerun.Stderr);
        Assert.AreEqual("complete", Manifest.Read(Path.Combine(Results(work), Manifest.FileName))!.State);
    }

    /// <summary>
    /// A sweep killed outright cannot say so: its report so far tells from the holder file that its process is gone,
    /// rather than "in progress" for ever; and a part damaged since is named and left out, not dropped in silence.
    /// </summary>
    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void The_report_of_a_killed_sweep_says_it_stopped_and_names_a_part_damaged_since()
    {
        var work = SlowSweep.Folder();
        using (var process = SlowSweep.StartAndWaitForParts(work, 3))
        {
            Assert.AreEqual(0, kill(process.Id, SigKill));
            process.WaitForExit();
        }

        var report = CliProcess.Run(work, "report", Results(work));
        Assert.AreEqual(0, report.ExitCode, report.Stderr);
        StringAssert.Contains(report.Stdout, "Stopped (");
        StringAssert.Contains(report.Stdout, "The sweep's process is gone without saying why");
        Assert.DoesNotContain("to go", report.Stdout);

        var part = Path.Combine(Results(work), "runs", "part-000001.parquet");
        var bytes = File.ReadAllBytes(part);
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(part, bytes);
        Thread.Sleep(5500); // past the time a writer may take between its record and the rename

        var damaged = CliProcess.Run(work, "report", Results(work));
        var export = CliProcess.Run(work, "export", Results(work));
        StringAssert.Contains(damaged.Stderr, "runs/part-000001.parquet failed its check (its SHA-256 is");
        StringAssert.Contains(damaged.Stdout, "Left out, damaged: runs/part-000001.parquet");
        StringAssert.Contains(export.Stderr, "runs/part-000001.parquet failed its check");
    }

    /// <summary>
    /// An earlier config's finished sweep (6 of the 40 rates) in the folder, the full config started over it and killed:
    /// the earlier runs set aside for reuse share the groups, but only those at rates both grids have (1e-4 and 0.9, in
    /// 4 groups) are this sweep's runs kept for the resume.
    /// </summary>
    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void The_report_of_a_changed_config_stopped_part_way_counts_only_its_own_grid_s_runs_as_kept()
    {
        var work = SlowSweep.Folder();
        var earlier = CliProcess.Run(work, "run", "slow.yaml", "--quiet", "--set", "learning_rates.logspace.count=6");
        Assert.AreEqual(0, earlier.ExitCode, earlier.Stderr);
        using (var process = SlowSweep.StartAndWaitForParts(work, 3))
        {
            Assert.AreEqual(0, kill(process.Id, SigKill));
            process.WaitForExit();
        }

        var report = CliProcess.Run(work, "report", Results(work));

        Assert.AreEqual(0, report.ExitCode, report.Stderr);
        var banner = report.Stdout.Split('\n').First(l => l.Contains("runs stored", StringComparison.Ordinal));
        StringAssert.Matches(banner, new System.Text.RegularExpressions.Regex(@"\d+ of 160 runs stored"));
        var kept = System.Text.RegularExpressions.Regex.Match(banner, @"(\d+) finished as the sweep was stopped");
        Assert.IsTrue(!kept.Success || int.Parse(kept.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 8, banner);
    }

    [TestMethod]
    public async Task Running_the_same_config_again_computes_nothing_and_keeps_every_row_once()
    {
        var config = Some.Config();
        var dir = await Some.SweepAsync(config);
        var before = RunsBytes(dir);

        var again = await SweepSession.RunAsync(config, dir, new RunOptions(2), null, CancellationToken.None);

        Assert.AreEqual(0L, again.Totals.Computed);
        Assert.AreEqual(400L, again.Totals.Reused);
        CollectionAssert.AreEqual(before, RunsBytes(dir));
    }

    [TestMethod]
    public async Task After_the_config_changes_unchanged_runs_are_reused_and_the_results_cover_exactly_the_new_grid()
    {
        var dir = await Some.SweepAsync(Some.Config());
        var changed = Some.Config(Some.SeedYaml.Replace("clip: [none, 1, 10, 100]", "clip: [none, 1, 1000]", StringComparison.Ordinal));

        var outcome = await SweepSession.RunAsync(changed, dir, new RunOptions(2), null, CancellationToken.None);
        var fresh = await Some.SweepAsync(changed);

        Assert.AreEqual(300L, outcome.Totals.Runs);
        Assert.AreEqual(200L, outcome.Totals.Reused);
        Assert.AreEqual(100L, outcome.Totals.Computed);
        CollectionAssert.AreEqual(RunsBytes(fresh), RunsBytes(dir));
        var summary = await Stored.SummaryAsync(dir);
        Assert.AreEqual(300, summary.Sum(g => g.Runs));
    }

    [TestMethod]
    public async Task The_results_are_the_same_bytes_at_1_2_and_8_threads()
    {
        var config = SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", "robustness.yaml"));

        var one = RunsBytes(await Some.SweepAsync(config, threads: 1, batchSize: 7));
        var two = RunsBytes(await Some.SweepAsync(config, threads: 2, batchSize: 7));
        var eight = RunsBytes(await Some.SweepAsync(config, threads: 8, batchSize: 7));

        CollectionAssert.AreEqual(one, two);
        CollectionAssert.AreEqual(one, eight);
    }

    [TestMethod]
    public async Task The_manifest_records_the_config_its_hash_the_tool_and_the_counts()
    {
        var config = SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", "houses.yaml"));
        var dir = await Some.SweepAsync(config);

        var manifest = Manifest.Read(Path.Combine(dir, Manifest.FileName))!;

        Assert.AreEqual("complete", manifest.State);
        Assert.AreEqual(config.Text, manifest.ConfigText);
        Assert.AreEqual(SweepSession.Hash(config.Text), manifest.ConfigHash);
        Assert.AreEqual(SweepSession.Version, manifest.ToolVersion);
        Assert.AreEqual(240L, manifest.Runs);
        Assert.AreEqual(240L, manifest.Statuses.Values.Sum());
        Assert.AreEqual("data/houses.csv", manifest.DataFiles[0].Given);
        Assert.AreEqual(Path.Combine(Some.RepoRoot, "configs", "data", "houses.csv"), manifest.DataFiles[0].Resolved);
        Assert.IsGreaterThanOrEqualTo(manifest.Started, manifest.Ended!.Value);
    }
}
