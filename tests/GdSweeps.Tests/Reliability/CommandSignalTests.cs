using System.Diagnostics;
using System.Runtime.InteropServices;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// A command trainer's sweep under signals: Ctrl-C stops the children with the tool, and a sweep killed outright
/// resumes with every run stored exactly once.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class CommandSignalTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private const int SigInt = 2;
    private const int SigKill = 9;

    private static CommandSweep Sweep(string script, string marks, string rates) => CommandSweep.Create(
        CommandSweep.Yaml("""[/bin/sh, run.sh, "{learning_rate}"]""", "[run.sh]", $"  env: {{MARKS: {marks}}}", rates, steps: 5),
        ("run.sh", script));

    private static Process Start(CommandSweep sweep) =>
        Process.Start(CliProcess.StartInfo(sweep.Folder, "run", "cmd.yaml", "--out", "results", "--threads", "2", "--quiet"))!;

    /// <summary>A run that leaves processes behind in sessions and groups of their own, each writing its pid down.</summary>
    private const string Escapes = """
        setsid sh -c 'echo $$ >> "$MARKS/pids"; exec sleep 300' < /dev/null > /dev/null 2>&1 &
        ( set -m; sh -c 'echo $$ >> "$MARKS/pids"; exec sleep 300' < /dev/null > /dev/null 2>&1 & )
        sleep 0.2
        echo '{"step": 0, "loss": 1, "grad_norm": 1}'
        echo '{"step": 1, "loss": 0.5, "grad_norm": 0.5}'
        """;

    [TestMethod]
    public async Task Processes_a_run_started_in_sessions_of_their_own_end_with_the_run()
    {
        var marks = Some.TempDir();
        var sweep = Sweep(Escapes, marks, "[0.1, 0.2]");

        var outcome = await sweep.RunAsync();
        var pids = File.ReadAllLines(Path.Combine(marks, "pids")).Select(int.Parse).ToList();

        Assert.IsTrue(outcome.Complete);
        Assert.HasCount(8, pids, "two escapes for each of the four runs");
        Assert.IsEmpty(Processes.StillAlive(pids));
    }

    [TestMethod]
    public async Task A_grandchild_that_keeps_the_output_open_and_floods_it_cannot_break_the_run_or_outlive_it()
    {
        // The command ends at once; a process in its own session keeps stdout open, writing valid step lines forever.
        var marks = Some.TempDir();
        var sweep = Sweep("""
            echo '{"step": 0, "loss": 1, "grad_norm": 1}'
            setsid sh -c 'echo $$ >> "$MARKS/pids"; i=1; while :; do echo "{\"step\": $i, \"loss\": 0.5}"; i=$((i + 1)); done' &
            sleep 0.3
            echo '{"step": 5, "loss": 0.001, "grad_norm": 0.000001}'
            """, marks, "[0.1]");

        var outcome = await sweep.RunAsync();
        var rows = await sweep.RowsAsync();
        var pids = File.ReadAllLines(Path.Combine(marks, "pids")).Select(int.Parse).ToList();

        Assert.IsTrue(outcome.Complete);
        Assert.HasCount(2, rows);
        Assert.IsTrue(rows.All(r => r["error"] is null || !((string)r["error"]!).Contains("Collection was modified", StringComparison.Ordinal)),
            string.Join("; ", rows.Select(r => r["error"])));
        Assert.IsTrue(rows.All(r => File.Exists(Path.Combine(sweep.Results, (string)r["log"]!))), "every run's log is written");
        Assert.IsEmpty(Processes.StillAlive(pids));
    }

    [TestMethod]
    public void After_the_tool_is_killed_outright_the_next_run_stops_what_it_left_and_never_runs_a_second_copy()
    {
        // The runs start processes that escape, then wait; the tool is killed (-9): they outlive it. The next run of
        // the same command finds them by their token, stops them, says so, and finishes.
        var marks = Some.TempDir();
        var sweep = Sweep(Escapes.Replace("echo '{\"step\": 1", "[ -e \"$MARKS/go\" ] || sleep 300\necho '{\"step\": 1", StringComparison.Ordinal), marks, "[0.1, 0.2]");
        var pids = Path.Combine(marks, "pids");
        using (var process = Start(sweep))
        {
            Processes.WaitFor(() => File.Exists(pids) && File.ReadAllLines(pids).Length >= 4, "two runs' escapes started", process);
            Assert.AreEqual(0, kill(process.Id, SigKill));
            process.WaitForExit();
        }

        var left = File.ReadAllLines(pids).Select(int.Parse).ToList();
        Assert.IsTrue(left.All(Processes.Alive), "killed outright, the tool could not stop them");
        File.WriteAllText(Path.Combine(marks, "go"), "");

        var rerun = CliProcess.Run(sweep.Folder, "run", "cmd.yaml", "--out", "results", "--threads", "2");

        Assert.AreEqual(0, rerun.ExitCode, rerun.Stderr);
        StringAssert.Contains(rerun.Stderr + rerun.Stdout, "left running when the tool was killed");
        Assert.IsEmpty(Processes.StillAlive(left), "the dead run's processes are stopped");
        Assert.IsEmpty(Processes.StillAlive(File.ReadAllLines(pids).Select(int.Parse)), "and the new runs' with their runs");
    }

    /// <summary>
    /// Ctrl-C part-way through a part (a command sweep stores 50 runs a part): the runs that finished are kept for
    /// the resume, and the manifest counts them, as many as are stored.
    /// </summary>
    [TestMethod]
    public async Task After_ctrl_c_in_the_middle_of_a_part_the_manifest_counts_the_runs_kept()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("""
            echo '{"step": 0, "loss": 1, "grad_norm": 1}'
            echo '{"step": 1, "loss": 0.5, "grad_norm": 0.5}'
            echo x >> "$MARKS/done"
            case "$1" in 0.2) sleep 60;; esac
            """, marks, "{logspace: {from: 0.01, to: 0.2, count: 12}}");
        var done = Path.Combine(marks, "done");
        using var process = Start(sweep);
        Processes.WaitFor(() => File.Exists(done) && File.ReadAllLines(done).Length >= 10, "ten runs finished", process);
        Thread.Sleep(300); // their results handed over

        Assert.AreEqual(0, kill(process.Id, SigInt));
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(20)), "the sweep did not stop");

        Assert.AreEqual(130, process.ExitCode);
        var manifest = Manifest.Read(Path.Combine(sweep.Results, Manifest.FileName))!;
        Assert.AreEqual("interrupted", manifest.State);
        var stored = 0L;
        foreach (var part in Directory.GetFiles(sweep.Results, "*.parquet", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).StartsWith("runs", StringComparison.Ordinal) || f.Contains("/runs/", StringComparison.Ordinal)))
        {
            stored += (await GdSweeps.Results.RunsFile.ReadIdsAsync(part)).Count;
        }

        Assert.IsGreaterThanOrEqualTo(10L, stored, "the finished runs are kept");
        Assert.AreEqual(stored, manifest.Runs, "the manifest counts every run stored");
        Assert.AreEqual(stored, manifest.Computed);

        // The report so far says the same count, and the export what it leaves out for the resume.
        var report = CliProcess.Run(sweep.Folder, "report", "results");
        StringAssert.Contains(report.Stdout, $"Interrupted (");
        StringAssert.Contains(report.Stdout, $"{stored} of 24 runs stored");
        var export = CliProcess.Run(sweep.Folder, "export", "results");
        var rows = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        if (rows < stored)
        {
            StringAssert.Contains(export.Stderr, $"{stored - rows} more runs finished as the sweep was stopped are kept for the resume");
        }
    }

    [TestMethod]
    public void Ctrl_c_stops_the_sweep_and_every_child_it_started_with_their_own_children()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("""
            echo $$ >> "$MARKS/pids"
            echo '{"step": 0, "loss": 1}'
            sleep 60 &
            echo $! >> "$MARKS/pids"
            wait
            """, marks, "[0.1, 0.2, 0.3]");
        var pids = Path.Combine(marks, "pids");
        using var process = Start(sweep);
        Processes.WaitFor(() => File.Exists(pids) && File.ReadAllLines(pids).Length >= 4, "two children running", process);
        var children = File.ReadAllLines(pids).Select(int.Parse).ToList();
        Assert.IsTrue(children.All(Processes.Alive));

        var clock = Stopwatch.StartNew();
        Assert.AreEqual(0, kill(process.Id, SigInt));
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(20)), "the sweep did not stop");

        Assert.AreEqual(130, process.ExitCode);
        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds);
        Assert.AreEqual("interrupted", Manifest.Read(Path.Combine(sweep.Results, Manifest.FileName))!.State);
        var deadline = Stopwatch.StartNew();
        while (children.Any(Processes.Alive) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        Assert.IsFalse(children.Any(Processes.Alive), $"still running: {string.Join(", ", children.Where(Processes.Alive))}");
    }

    [TestMethod]
    public async Task A_sweep_killed_outright_resumes_without_running_a_stored_run_again_and_holds_every_run_once()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("""
            echo "$GDSWEEPS_RUN_ID" >> "$MARKS/starts"
            sleep 0.2
            echo '{"step": 0, "loss": 1, "grad_norm": 1}'
            echo '{"step": 5, "loss": 0.5, "grad_norm": 0.5}'
            """, marks, "{logspace: {from: 0.01, to: 1, count: 12}}");
        var parts = Path.Combine(sweep.Results, "runs");
        using (var process = Start(sweep))
        {
            Processes.WaitFor(() => Directory.Exists(parts) && Directory.GetFiles(parts, "part-*.parquet").Length >= 1, "a stored part", process);
            Assert.AreEqual(0, kill(process.Id, SigKill));
            process.WaitForExit();
        }

        Thread.Sleep(500); // the orphaned children finish or die on their closed pipe
        var stored = (await sweep.RowsAsync()).Select(r => (string)r["run_id"]!).ToHashSet();
        File.Move(Path.Combine(marks, "starts"), Path.Combine(marks, "starts-before-kill"));

        var rerun = CliProcess.Run(sweep.Folder, "run", "cmd.yaml", "--out", "results", "--threads", "2", "--quiet");

        Assert.AreEqual(0, rerun.ExitCode, rerun.Stderr);
        var rows = await sweep.RowsAsync();
        var ids = rows.Select(r => (string)r["run_id"]!).ToList();
        Assert.HasCount(24, ids);
        Assert.HasCount(24, ids.Distinct().ToList(), "each run is stored exactly once");
        var startedAgain = File.ReadAllLines(Path.Combine(marks, "starts"));
        Assert.IsNotEmpty(stored, "some runs were stored before the kill");
        Assert.IsFalse(startedAgain.Any(stored.Contains), "no run stored before the kill ran again");
        Assert.HasCount(startedAgain.Length, startedAgain.Distinct().ToList(), "the rerun started each missing run once");
        CollectionAssert.AreEquivalent(ids.Except(stored).ToList(), startedAgain.ToList());
        Assert.AreEqual("complete", Manifest.Read(Path.Combine(sweep.Results, Manifest.FileName))!.State);
    }
}
