using System.Diagnostics;
using System.Runtime.InteropServices;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// Ctrl-C and SIGTERM are honoured within a second, whatever the sweep is doing, and huge grids are refused without
/// being walked.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class SignalTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [TestMethod]
    public void Ctrl_c_inside_one_long_run_stops_the_sweep_within_a_second()
    {
        // One run of 10^8 sample-steps: minutes of work, all of it inside a single run.
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "long.yaml"), """
            name: long
            datasets:
              - name: wide
                generate: {x: {linspace: {from: 0.5, to: 2, count: 100000}}, a: 2}
            transforms: none
            w0: 0
            learning_rates: 1.0e-3
            steps: 1000000
            kernel: per-sample
            """);
        using var process = Process.Start(CliProcess.StartInfo(work, "run", "long.yaml", "--quiet"))!;
        var manifest = Path.Combine(work, "results", "long", "manifest.json");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(manifest) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(20);
        }

        Thread.Sleep(1000);
        var clock = Stopwatch.StartNew();
        Assert.AreEqual(0, kill(process.Id, 2));
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(10)), "the sweep did not stop");

        Assert.IsLessThan(1.0, clock.Elapsed.TotalSeconds, "stopped within a second of Ctrl-C");
        Assert.AreEqual(130, process.ExitCode);
        Assert.AreEqual("interrupted", Manifest.Read(manifest)!.State);
    }

    [TestMethod]
    public void A_grid_of_a_trillion_runs_is_counted_and_refused_without_being_walked()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "huge.yaml"), """
            name: huge
            datasets: [{name: d, x: [1, 2], y: [2, 4]}]
            transforms: none
            w0: {linspace: {from: -5, to: 5, count: 1000000}}
            learning_rates: {logspace: {from: 1.0e-6, to: 1, count: 1000000}}
            """);

        var clock = Stopwatch.StartNew();
        var validate = CliProcess.Run(work, "validate", "huge.yaml");
        var validateTime = clock.Elapsed;
        clock.Restart();
        var run = CliProcess.Run(work, "run", "huge.yaml");

        Assert.AreEqual(0, validate.ExitCode, validate.Stderr);
        StringAssert.Contains(validate.Stdout, "1000000000000 runs");
        Assert.IsLessThan(10.0, validateTime.TotalSeconds, "answered from the axis lengths (walking the grid would take hours)");
        Assert.AreEqual(2, run.ExitCode);
        StringAssert.Contains(run.Stderr, "more than max_runs");
        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds);

        // In the process, the count itself is immediate: it multiplies the axes' lengths.
        var plan = SweepPlan.Load(Path.Combine(work, "huge.yaml"));
        var count = Stopwatch.StartNew();
        Assert.AreEqual(1_000_000_000_000L, new SweepGrid(plan).Count);
        Assert.IsLessThan(0.1, count.Elapsed.TotalSeconds);
    }
}
