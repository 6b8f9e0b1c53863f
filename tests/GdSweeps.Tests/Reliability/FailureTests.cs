using System.Diagnostics;
using GdSweeps.Configs;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Reliability;

[TestClass]
public sealed class FailureTests
{
    [TestMethod]
    public async Task A_run_that_throws_is_recorded_as_failed_with_its_error_and_the_sweep_goes_on()
    {
        // A start with no weights at all cannot come from the loader; here it reaches the runs and makes them throw.
        var seed = Some.Config().Config;
        var config = SweepPlan.Build(seed with { Axes = seed.Axes.With(SweepAxes.W0.Of([InitSpec.Scalar(1), new InitSpec([], null)])) });
        var dir = Some.TempDir();

        var outcome = await SweepSession.RunAsync(config, dir, new RunOptions(2), null, CancellationToken.None);
        var runs = await Stored.RunsAsync(dir);

        Assert.AreEqual(400L, outcome.Statuses[RunStatus.Failed]);
        Assert.HasCount(800, runs);
        Assert.IsTrue(runs.Where(r => r.W0Label == "[]").All(r => r.Status == "failed" && r.Error!.Contains("IndexOutOfRange", StringComparison.Ordinal)));
        Assert.IsTrue(runs.Where(r => r.W0Label == "1").All(r => r.Status != "failed" && r.Error is null));
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_second_run_on_the_same_folder_refuses_while_the_first_holds_it()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        using var first = ResultFolder.Open(Path.Combine(work, "results", "seed"));
        var log = Path.Combine(work, "results", "seed", "gdsweeps.log");

        var second = CliProcess.Run(work, "run", "study.yaml");

        Assert.AreEqual(1, second.ExitCode);
        StringAssert.Contains(second.Stderr, $"pid {Environment.ProcessId} on");
        StringAssert.Contains(second.Stderr, "is using results/seed");
        Assert.IsFalse(File.Exists(log), "a refused sweep writes nothing into the folder it was refused");
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_lock_left_by_a_crashed_process_does_not_block_the_next_run()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        var hidden = Directory.CreateDirectory(Path.Combine(work, "results", "seed", ".gdsweeps")).FullName;
        File.WriteAllText(Path.Combine(hidden, "lock-main"), "");
        File.WriteAllText(Path.Combine(hidden, "holder-main"), "pid 999999 on a-machine-that-crashed");

        var result = CliProcess.Run(work, "run", "study.yaml", "--quiet");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void An_output_folder_that_cannot_be_created_is_a_clear_error()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        File.WriteAllText(Path.Combine(work, "a-file"), "");

        var result = CliProcess.Run(work, "run", "study.yaml", "--out", "a-file/sub");

        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Stderr, "gdsweeps: cannot write the results:");
        StringAssert.Contains(result.Stderr, "a-file/sub");
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public async Task A_full_disk_is_a_clear_error_and_leaves_earlier_results_readable()
    {
        var mount = Path.Combine(Some.TempDir(), "small");
        Directory.CreateDirectory(mount);
        using (var m = Process.Start("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount]))
        {
            m.WaitForExit();
            if (m.ExitCode != 0)
            {
                Assert.Inconclusive("this machine cannot mount a tmpfs; the unwritable-folder test covers the error path");
            }
        }

        try
        {
            var small = Some.SeedYaml.Replace("per_decade: 4", "per_decade: 1", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(mount, "small.yaml"), small);
            Assert.AreEqual(0, CliProcess.Run(mount, "run", "small.yaml", "--out", "out", "--quiet").ExitCode);
            var before = await Stored.RunsAsync(Path.Combine(mount, "out"));

            File.WriteAllText(Path.Combine(mount, "big.yaml"), Some.SeedYaml.Replace("steps: 1000", "steps: 5000\ncurve: all", StringComparison.Ordinal));
            var result = CliProcess.Run(mount, "run", "big.yaml", "--out", "out", "--quiet");

            Assert.AreEqual(1, result.ExitCode, result.Stderr);
            StringAssert.Contains(result.Stderr, "cannot write the results");
            Assert.DoesNotContain("   at ", result.Stderr, "no stack trace for an expected failure");
            Assert.AreEqual("failed", Manifest.Read(Path.Combine(mount, "out", Manifest.FileName))!.State);

            // The earlier sweep's runs were kept: running it again copies them, computing nothing.
            var again = CliProcess.Run(mount, "run", "small.yaml", "--out", "out");
            Assert.AreEqual(0, again.ExitCode, again.Stderr);
            StringAssert.Contains(again.Stderr, "0 computed");
            CollectionAssert.AreEqual(before, await Stored.RunsAsync(Path.Combine(mount, "out")));
        }
        finally
        {
            using var u = Process.Start("umount", [mount]);
            u.WaitForExit();
        }
    }

    [TestMethod]
    [DataRow("{name: d, csv: missing.csv, x: a, y: y}", "", "missing.csv' does not exist")]
    [DataRow("{name: d, csv: d.csv, x: a, y: y}", "a,y\n1,2\n3,x\n", "d.csv:3:2: y: 'x' is not a finite number")]
    [DataRow("{name: d, csv: d.csv, x: b, y: y}", "a,y\n1,2\n", "d.csv:1:1: b: no column 'b'")]
    [DataRow("{name: d, csv: d.csv, x: a, y: y}", "", "the CSV file is empty")]
    [DataRow("{name: d, csv: d.csv, x: a, y: y}", "a,y\n", "header but no data rows")]
    [DataRow("{name: d, csv: d.csv, x: a, y: y}", "a,y\n1,\n", "d.csv:2:2: y: missing value")]
    [DataRow("{name: d, x: [-2, 1], y: [1, 2]}", "", "transform 'log1p' cannot apply to dataset 'd'")]
    [TestCategory(TestTiers.Process)]
    public void Bad_input_data_exits_2_naming_the_place_and_writes_nothing(string dataset, string csv, string message)
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "d.csv"), csv);
        File.WriteAllText(Path.Combine(work, "study.yaml"), $"datasets: [{dataset}]\ntransforms: [none, log1p]\nlearning_rates: 0.1\n");

        var result = CliProcess.Run(work, "run", "study.yaml");

        Assert.AreEqual(2, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stderr, message);
        Assert.IsFalse(Directory.Exists(Path.Combine(work, "results")));
    }
}
