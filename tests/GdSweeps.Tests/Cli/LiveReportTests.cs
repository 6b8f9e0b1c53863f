using System.Diagnostics;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary>
/// A running sweep can be looked at: report.md and report.html are rewritten every <c>--report-every</c> (whole, marked
/// in progress, counts rising) and <c>gdsweeps report DIR</c> prints the report so far without touching the folder;
/// the finished folder is the same, byte for byte, as a sweep's that nobody looked at. For a whole sweep, shards
/// writing one folder, and a command trainer's sweep.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class LiveReportTests
{
    /// <summary>
    /// The slow sweep of the signal tests with ten times its rates: 2 transforms x 2 clips x 400 rates, per-sample over
    /// 20,000 samples: about 15 s on one thread here, long
    /// enough for several reports at 2 s even when a report takes a second under the suite's load (the next waits
    /// four times that).
    /// </summary>
    internal static readonly string Yaml = SlowSweep.Yaml
        .Replace("name: slow", "name: live", StringComparison.Ordinal)
        .Replace("count: 40}", "count: 400}", StringComparison.Ordinal);

    internal const long Runs = 1600;

    private static string Folder()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "live.yaml"), Yaml);
        return work;
    }

    private static Process Start(string work, params string[] args) =>
        Process.Start(CliProcess.StartInfo(work, ["run", "live.yaml", "--runs-per-part", "8", "--report-every", "2s", "--quiet", .. args]))!;

    private static void AssertExits(Process process)
    {
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromMinutes(3)), "the sweep did not finish in 3 minutes");
        Assert.AreEqual(0, process.ExitCode, process.StandardError.ReadToEnd());
    }

    /// <summary>The finished folder holds what a sweep nobody looked at holds: its tables, summaries and reports.</summary>
    private static async Task AssertSameAsFreshAsync(string folder, string config)
    {
        var fresh = await Some.SweepAsync(SweepPlan.Load(config), batchSize: 8);
        CollectionAssert.AreEqual(Stored.TableBytes(fresh), Stored.TableBytes(folder), "runs/ and curves/");
        foreach (var file in new[] { "summary.parquet", "transfer.parquet", "report.md", "report.html" })
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(fresh, file)), File.ReadAllBytes(Path.Combine(folder, file)), file);
        }
    }

    [TestMethod]
    public async Task A_running_sweep_s_report_shows_the_runs_stored_rising_and_the_finished_one_is_a_fresh_sweep_s()
    {
        var work = Folder();
        var folder = Path.Combine(work, "results", "live");
        using var sweep = Start(work, "--threads", "1");
        var seen = LiveWatch.Watch(folder, work, Runs, sweep);
        AssertExits(sweep);
        LiveWatch.AssertRising(seen);

        var manifest = GdSweeps.Results.Manifest.Read(Path.Combine(folder, "manifest.json"))!;
        Assert.AreEqual("complete", manifest.State);
        Assert.AreEqual(Runs, manifest.Runs);
        Assert.DoesNotContain("In progress", File.ReadAllText(Path.Combine(folder, "report.md")));
        await AssertSameAsFreshAsync(folder, Path.Combine(work, "live.yaml"));
    }

    [TestMethod]
    public async Task Two_shards_writing_one_folder_show_every_shard_s_runs_so_far_and_merge_to_a_fresh_sweep_s()
    {
        var work = Folder();
        var folder = Path.Combine(work, "results", "live");
        Directory.CreateDirectory(folder);
        using var first = Start(work, "--threads", "1", "--shard", "1/2");
        using var second = Start(work, "--threads", "1", "--shard", "2/2");
        var seen = LiveWatch.Watch(folder, work, Runs, first, second);
        AssertExits(first);
        AssertExits(second);
        LiveWatch.AssertRising(seen, strict: false);

        // Both shards done, not merged: the report so far covers all of them and says what to do.
        var partial = CliProcess.Run(work, "report", folder);
        Assert.AreEqual(0, partial.ExitCode, partial.Stderr);
        StringAssert.Contains(partial.Stdout, "1,600 of 1,600 runs stored (100%)");
        StringAssert.Contains(partial.Stdout, "Shards: 2 of 2 done, 0 running");
        Assert.IsFalse(File.Exists(Path.Combine(folder, "manifest.json")), "report wrote nothing into the folder");

        var merged = CliProcess.Run(work, "merge", folder);
        Assert.AreEqual(0, merged.ExitCode, merged.Stderr);
        await AssertSameAsFreshAsync(folder, Path.Combine(work, "live.yaml"));
    }

    /// <summary>
    /// A command trainer: each run a Python process that takes a tenth of a second. A diverged run waits to be stopped,
    /// so its exit code is the stop's (143) however loaded the machine: one that slept a tenth and exited by itself
    /// when the stop came later stored 0 (seen in CI).
    /// </summary>
    private const string Train = """
        import json, sys, time
        lr, steps = float(sys.argv[1]), int(sys.argv[2])
        w = 1.0
        for t in range(steps + 1):
            loss = w * w
            print(json.dumps({"step": t, "loss": loss, "grad_norm": abs(2 * w)}), flush=True)
            if loss > 1e12:
                time.sleep(300)
            w -= lr * 2 * w
        time.sleep(0.1)
        """;

    [TestMethod]
    public async Task A_command_sweep_s_report_shows_its_runs_stored_rising_and_the_finished_one_is_a_fresh_sweep_s()
    {
        var yaml = CommandSweep.Yaml("""[/usr/bin/python3, train.py, "{learning_rate}", "{steps}"]""", "[train.py]",
            rates: "{logspace: {from: 0.01, to: 1.5, count: 40}}", steps: 30);
        var sweep = CommandSweep.Create(yaml, ("train.py", Train));
        var folder = Path.Combine(sweep.Folder, "results", "cmd");
        using var process = Process.Start(CliProcess.StartInfo(sweep.Folder, "run", "cmd.yaml", "--threads", "2", "--report-every", "2s", "--quiet"))!;
        var seen = LiveWatch.Watch(folder, sweep.Folder, 80, process);
        AssertExits(process);
        LiveWatch.AssertRising(seen);

        var fresh = await Some.SweepAsync(SweepPlan.Load(Path.Combine(sweep.Folder, "cmd.yaml")));
        string[] timed = ["duration_s"];
        var a = (await Stored.RowsByNameAsync(fresh)).Select(r => System.Text.Json.JsonSerializer.Serialize(r.Where(c => !timed.Contains(c.Key)).ToDictionary())).ToList();
        var b = (await Stored.RowsByNameAsync(folder)).Select(r => System.Text.Json.JsonSerializer.Serialize(r.Where(c => !timed.Contains(c.Key)).ToDictionary())).ToList();
        Assert.AreEqual(a.Count, b.Count, "runs stored");
        for (var i = 0; i < a.Count; i++)
        {
            Assert.AreEqual(a[i], b[i], $"run {i}, all but for how long it took");
        }
        foreach (var file in new[] { "report.md", "report.html" })
        {
            Assert.AreEqual(File.ReadAllText(Path.Combine(fresh, file)), File.ReadAllText(Path.Combine(folder, file)), file);
        }
    }
}
