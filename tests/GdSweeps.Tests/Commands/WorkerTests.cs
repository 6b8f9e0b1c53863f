using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using GdSweeps.Commands;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Commands;

/// <summary>
/// A serving trainer (<c>trainer.serve</c>): long-lived workers sent one run (or one group's batch) at a time. Each
/// way a worker can fail ends that run only, a new worker takes the next, and the stored runs equal the per-run form's.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class WorkerTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>
    /// GD on loss = w^2 from w = 1, as <see cref="CommandTrainerTests"/>' awk script: w_t = (1 - 2 lr)^t, stopping
    /// itself past 1e12. Serves runs from stdin; with no stdin to serve (arguments lr, steps), it is the per-run form.
    /// MODE (its first argument) makes it misbehave on the run of rate $TARGET on raw data, at step 2: crash (exit 3),
    /// hang, deaf (never ends a run it was told to stop), once (serves one run, then exits 0 without an end line),
    /// slow (sleeps 50 ms a step, and leaves a process of its own session behind); and around that run: stray (a step
    /// line after its end line), flood (10 MB of stderr), closein (closes stdin after it, alive); chatty: 3000 lines
    /// of stderr in every run, naming it.
    /// </summary>
    private const string Quadratic = """
        import json, os, subprocess, sys, time

        MARKS = os.environ.get("MARKS")
        mode = sys.argv[1]
        target = float(os.environ.get("TARGET", "nan"))

        def mark(name, text):
            if MARKS:
                with open(os.path.join(MARKS, name), "a") as f:
                    f.write(text + "\n")

        def out(line):
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()

        def train(lr, steps, odd):
            w = 1.0
            for t in range(steps + 1):
                l = w * w
                out({"step": t, "loss": l, "grad_norm": abs(2 * w), "sharpness": 2})
                if mode == "slow":
                    time.sleep(0.05)
                if odd and t == 2:
                    if mode == "crash":
                        print("about to crash", file=sys.stderr, flush=True)
                        os._exit(3)
                    if mode == "hang":
                        time.sleep(300)
                if l > 1e12:
                    if mode == "deaf":
                        time.sleep(300)
                    return
                w = w - lr * 2 * w
            out({"final": {"loss_original": l}})

        if mode == "per-run":
            train(float(sys.argv[2]), int(sys.argv[3]), False)
            sys.exit(0)

        mark("pids", str(os.getpid()))
        if mode == "slow":
            escaped = subprocess.Popen(["setsid", "sleep", "300"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            mark("pids", str(escaped.pid))
        for text in sys.stdin:
            run = json.loads(text)
            if "stop" in run:
                continue
            mark("starts", run["run_id"])
            odd = run["learning_rate"] == target and run["transform"] == "none"
            if mode == "chatty":
                for i in range(3000):
                    sys.stderr.write(f"stderr of lr={run['learning_rate']} {run['transform']} line {i}\n")
                sys.stderr.flush()
            if mode == "flood" and odd:
                for i in range(10):
                    sys.stderr.write(("x" * 1000 + "\n") * 1000)
                sys.stderr.flush()
            mark("devices", json.dumps({"pid": os.getpid(), "cuda": os.environ.get("CUDA_VISIBLE_DEVICES"),
                                        "device": run["device"], "worker": os.environ["GDSWEEPS_WORKER"]}))
            train(run["learning_rate"], run["steps"], run["learning_rate"] == target and run["transform"] == "none")
            if mode == "once":
                sys.exit(0)
            if mode == "stray" and odd:
                sys.stdout.write(json.dumps({"end": run["run_id"]}) + "\n" + json.dumps({"step": 0, "loss": 123.0}) + "\n")
                sys.stdout.flush()
                continue
            out({"end": run["run_id"]})
            if mode == "closein" and odd:
                os.close(0)
                time.sleep(300)
        """;

    /// <summary>
    /// The same GD, one group's runs stepped together through examples/gdsweeps_worker.py's batches(): a run is
    /// dropped when report() says GdSweeps stopped it (never by itself: it would grow on), each batch written down.
    /// </summary>
    private static readonly string Batched = $$"""
        import json, os, sys, time
        sys.path.insert(0, {{JsonSerializer.Serialize(Path.Combine(Some.RepoRoot, "examples"))}})
        from gdsweeps_worker import batches

        def mark(name, text):
            with open(os.path.join(os.environ["MARKS"], name), "a") as f:
                f.write(text + "\n")

        for group in batches():
            mark("batches", json.dumps([[run.id, run["transform"], run["learning_rate"]] for run in group]))
            w = {run.id: 1.0 for run in group}
            live = list(group)
            for t in range(group[0]["steps"] + 1):
                for run in list(live):
                    l = w[run.id] ** 2
                    if not run.report(step=t, loss=l, grad_norm=abs(2 * w[run.id]), sharpness=2):
                        mark("stopped", f"{run.id} {t}")
                        live.remove(run)
                        continue
                    w[run.id] -= run["learning_rate"] * 2 * w[run.id]
                time.sleep(0.002)
            for run in live:
                run.final(loss_original=w[run.id] ** 2)
        """;

    private static CommandSweep Sweep(
        string mode, string marks, string rates = "[0.1, 0.5, 1.2]", string extra = "", int steps = 50, string script = Quadratic, string target = "nan") =>
        CommandSweep.Create(
            CommandSweep.Yaml($"[/usr/bin/python3, worker.py, {mode}]", "[worker.py]", $"  serve: true\n  env: {{MARKS: {marks}, TARGET: '{target}'}}\n{extra}", rates, steps),
            ("worker.py", script));

    private static async Task<List<Dictionary<string, object?>>> Curves(CommandSweep sweep) =>
        [.. (await Stored.CurvesByNameAsync(sweep.Results)).OrderBy(c => (long)c["run_index"]!).ThenBy(c => (int)c["step"]!)];

    private static string[] Marks(string marks, string name) =>
        File.Exists(Path.Combine(marks, name)) ? File.ReadAllLines(Path.Combine(marks, name)) : [];

    /// <summary>The statuses GD on w^2 must have: 0.1 stalls in 50 steps, 0.5 lands in one, 1.2 diverges at step 42.</summary>
    private static void AssertQuadratic(IEnumerable<Dictionary<string, object?>> rows)
    {
        foreach (var row in rows)
        {
            var (rate, status) = ((double)row["learning_rate"]!, (string)row["status"]!);
            var expected = rate switch { 0.1 => "stalled", 0.5 => "converged", 1.2 => "diverged", _ => null };
            if (expected is not null)
            {
                Assert.AreEqual(expected, status, $"lr {rate}, {row["transform"]}: {row["error"]}");
            }

            if (rate == 1.2)
            {
                Assert.AreEqual(42, row["diverged_at_step"]);
                Assert.AreEqual("diverged", row["stopped"]);
            }
        }
    }

    [TestMethod]
    public async Task Served_runs_equal_the_per_run_form_s_and_one_worker_serves_many_runs()
    {
        var marks = Some.TempDir();
        var served = Sweep("serve", marks, rates: "[0.1, 0.3, 0.5, 0.9, 1.2]");
        var perRun = CommandSweep.Create(
            CommandSweep.Yaml("""[/usr/bin/python3, worker.py, per-run, "{learning_rate}", "{steps}"]""", "[worker.py]", rates: "[0.1, 0.3, 0.5, 0.9, 1.2]", steps: 50),
            ("worker.py", Quadratic));

        Assert.IsTrue((await served.RunAsync()).Complete);
        Assert.IsTrue((await perRun.RunAsync()).Complete);
        var a = (await served.RowsAsync()).OrderBy(r => (long)r["run_index"]!).ToList();
        var b = (await perRun.RowsAsync()).OrderBy(r => (long)r["run_index"]!).ToList();

        AssertQuadratic(a);
        Assert.HasCount(10, a);
        Assert.HasCount(10, Marks(marks, "starts"));
        Assert.IsLessThanOrEqualTo(2, Marks(marks, "pids").Length, "at most --threads workers, each serving several runs");
        // Everything but what tells the two forms apart (ids, which include serve; timings; the per-run process's
        // exit status, 143 when it was stopped) is the same.
        string[] differ = ["run_id", "group_id", "duration_s", "exit_code", "stderr_tail", "log"];
        for (var i = 0; i < a.Count; i++)
        {
            foreach (var (column, value) in a[i].Where(c => !differ.Contains(c.Key)))
            {
                Assert.AreEqual(JsonSerializer.Serialize(b[i][column]), JsonSerializer.Serialize(value), $"{column} of run {i}");
            }

            Assert.AreEqual(0, a[i]["exit_code"], "a served run the worker ended has exit status 0");
        }

        Assert.AreEqual(JsonSerializer.Serialize(await Curves(perRun)), JsonSerializer.Serialize(await Curves(served)), "the loss curves");
        StringAssert.Contains(served.Log(a[0]["run_id"]), "sent to worker ");
    }

    [TestMethod]
    public async Task A_worker_that_crashes_mid_run_fails_that_run_with_its_exit_status_and_a_new_worker_serves_the_rest()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("crash", marks, extra: "  retries: 1", target: "0.1");

        var outcome = await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        var failed = rows.Single(r => (string)r["status"]! == "failed");
        Assert.AreEqual(0.1, failed["learning_rate"]);
        Assert.AreEqual("none", failed["transform"]);
        Assert.AreEqual("the worker exited with status 3 while training it (after 2 attempts)", failed["error"]);
        Assert.AreEqual(3, failed["exit_code"]);
        Assert.AreEqual("about to crash", failed["stderr_tail"]);
        AssertQuadratic(rows.Where(r => r != failed));
        Assert.HasCount(5, rows.Where(r => (string)r["status"]! != "failed").ToList());
        Assert.IsEmpty(Processes.StillAlive(Marks(marks, "pids").Select(int.Parse)));
    }

    [TestMethod]
    public async Task A_worker_hanging_past_the_timeout_is_stopped_the_run_failed_and_the_next_run_served_by_a_new_worker()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("hang", marks, extra: "  timeout: 1s", target: "0.5");
        var clock = Stopwatch.StartNew();

        var outcome = await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        Assert.IsLessThan(30.0, clock.Elapsed.TotalSeconds, "stopped at its timeout, not after the sleep");
        var failed = rows.Single(r => (string)r["status"]! == "failed");
        Assert.AreEqual(0.5, failed["learning_rate"]);
        Assert.AreEqual("timeout", failed["stopped"]);
        Assert.AreEqual("timed out after 1 s", failed["error"]);
        AssertQuadratic(rows.Where(r => r != failed));
        Assert.IsGreaterThanOrEqualTo(2, Marks(marks, "pids").Length, "a new worker after the hung one");
        Assert.IsEmpty(Processes.StillAlive(Marks(marks, "pids").Select(int.Parse)), "the hung worker is gone");
    }

    [TestMethod]
    public async Task A_worker_that_ignores_the_stop_of_a_diverged_run_is_replaced_and_the_run_stored_as_diverged()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("deaf", marks, rates: "[1.2, 0.1]");

        var outcome = await sweep.RunAsync(threads: 1);
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        AssertQuadratic(rows);
        Assert.HasCount(4, rows);
        Assert.IsFalse(rows.Any(r => (string)r["status"]! == "failed"), string.Join("; ", rows.Select(r => r["error"])));
        var diverged = rows.Where(r => (double)r["learning_rate"]! == 1.2).ToList();
        Assert.IsTrue(diverged.All(r => sweep.Log(r["run_id"]).Contains("did not end the run within 5 s of being told to stop", StringComparison.Ordinal)));
        Assert.HasCount(3, Marks(marks, "pids"), "each diverged run's worker replaced, the last one serving the rest");
        Assert.IsEmpty(Processes.StillAlive(Marks(marks, "pids").Select(int.Parse)));
    }

    [TestMethod]
    public async Task A_worker_that_exits_after_each_run_is_still_correct()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("once", marks);

        var outcome = await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        Assert.HasCount(6, rows);
        AssertQuadratic(rows);
        Assert.HasCount(6, Marks(marks, "pids"), "a new worker for each run");
        Assert.IsTrue(rows.All(r => (int)r["attempts"]! == 1), "no run was tried twice");
    }

    [TestMethod]
    public async Task Workers_that_fail_again_and_again_stop_the_sweep_with_a_clear_message()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("serve", marks, script: "import os, sys\nopen(os.path.join(os.environ['MARKS'], 'pids'), 'a').write(str(os.getpid()) + '\\n')\nprint('ImportError: no module named torch', file=sys.stderr)\nsys.exit(1)\n");

        var error = await Assert.ThrowsExactlyAsync<TrainerStoppedException>(() => sweep.RunAsync(threads: 1));

        StringAssert.Contains(error.Message, $"the trainer's worker failed {WorkerPool.FailuresInRow} times in a row");
        StringAssert.Contains(error.Message, "exited with status 1");
        Assert.HasCount(WorkerPool.FailuresInRow, Marks(marks, "pids"), "no loop of restarts");
    }

    [TestMethod]
    public async Task A_batch_is_one_group_s_runs_and_its_diverged_member_is_stopped_alone()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("batch", marks, rates: "[0.1, 0.5, 1.2, 0.3, 0.9]", extra: "  batch: 3", script: Batched);

        var outcome = await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        Assert.HasCount(10, rows);
        AssertQuadratic(rows);
        Assert.IsFalse(rows.Any(r => (string)r["status"]! == "failed"), string.Join("; ", rows.Select(r => r["error"])));
        var batches = Marks(marks, "batches").Select(b => JsonSerializer.Deserialize<JsonElement[][]>(b)!).ToList();
        Assert.HasCount(4, batches, "each group's 5 runs in batches of 3 and 2");
        Assert.IsTrue(batches.All(b => b.Length <= 3 && b.Select(r => r[1].GetString()).Distinct().Count() == 1), "a batch holds one group's runs");
        // The diverged members were told to stop and were; the others ran every step (the stalled ones) or
        // converged, their curves whole.
        var stopped = Marks(marks, "stopped").Select(s => s.Split(' ')[0]).ToHashSet();
        CollectionAssert.AreEquivalent(rows.Where(r => (double)r["learning_rate"]! == 1.2).Select(r => (string)r["run_id"]!).ToList(), stopped.ToList());
        Assert.IsTrue(rows.Where(r => (double)r["learning_rate"]! is 0.1 or 0.3).All(r => (int)r["steps_run"]! == 50));
        var diverged = rows.Where(r => (double)r["learning_rate"]! == 1.2).Select(r => (long)r["run_index"]!).ToHashSet();
        var curves = (await Curves(sweep)).Where(c => diverged.Contains((long)c["run_index"]!)).ToList();
        Assert.AreEqual(42, curves.Max(c => (int)c["step"]!), "nothing stored past the stop");
    }

    [TestMethod]
    public async Task A_protocol_line_after_a_run_s_end_is_not_taken_for_the_next_run_the_worker_is_replaced()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("stray", marks, target: "0.1");

        var outcome = await sweep.RunAsync(threads: 1);
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        Assert.IsFalse(rows.Any(r => (string)r["status"]! == "failed"), string.Join("; ", rows.Select(r => r["error"])));
        AssertQuadratic(rows);
        var next = rows.Single(r => (double)r["learning_rate"]! == 0.5 && (string)r["transform"]! == "none");
        StringAssert.Contains(sweep.Log(next["run_id"]), "wrote a protocol line after its runs had ended ({\"step\": 0, \"loss\": 123.0}); it was replaced");
        Assert.HasCount(2, Marks(marks, "pids"));
    }

    [TestMethod]
    public async Task What_a_worker_writes_to_stderr_before_a_run_s_end_is_that_run_s_whole()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("chatty", marks, rates: "[0.1, 0.2, 0.3, 0.4]", steps: 3);

        Assert.IsTrue((await sweep.RunAsync(threads: 1)).Complete);
        var rows = await sweep.RowsAsync();

        foreach (var row in rows)
        {
            var own = $"stderr of lr={row["learning_rate"]} {row["transform"]} line ";
            var lines = sweep.Log(row["run_id"]).Split('\n').Where(l => l.Contains("stderr of", StringComparison.Ordinal)).ToList();
            Assert.HasCount(3000, lines, $"{own}: {lines.Count(l => !l.Contains(own, StringComparison.Ordinal))} of another run's");
            Assert.IsTrue(lines.All(l => l.Contains(own, StringComparison.Ordinal)), own);
            StringAssert.EndsWith((string)row["stderr_tail"]!, own + "2999");
            Assert.IsLessThan(2.5, (double)row["duration_s"]!, "the wait for stderr ends when it is read, not at its bound (5 s)");
        }
    }

    [TestMethod]
    public async Task A_worker_past_the_output_limit_fails_its_run_every_time()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("flood", marks, rates: "[0.1, 0.2]", steps: 3, target: "0.1");

        Assert.IsTrue((await sweep.RunAsync(threads: 1)).Complete);
        var rows = await sweep.RowsAsync();

        var flooded = rows.Single(r => (double)r["learning_rate"]! == 0.1 && (string)r["transform"]! == "none");
        Assert.AreEqual("failed", flooded["status"]);
        Assert.AreEqual("output limit", flooded["stopped"]);
        Assert.AreEqual(3, rows.Count(r => (string)r["status"]! == "stalled"), "the others ran on a new worker");
    }

    [TestMethod]
    public async Task A_batch_larger_than_the_pipe_to_a_worker_that_never_reads_still_times_out()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("serve", marks, rates: "{logspace: {from: 0.001, to: 1, count: 150}}", steps: 3, extra: "  batch: 150\n  timeout: 2s",
            script: "import time\ntime.sleep(300)\n");
        var clock = Stopwatch.StartNew();

        Assert.IsTrue((await sweep.RunAsync(threads: 1)).Complete);
        var rows = await sweep.RowsAsync();

        Assert.IsLessThan(30.0, clock.Elapsed.TotalSeconds, "each batch stopped at its timeout");
        Assert.HasCount(300, rows);
        Assert.IsTrue(rows.All(r => (string)r["error"]! == "timed out after 2 s" && r["exit_code"] is 143 or 137), rows[0]["error"] + " " + rows[0]["exit_code"]);
    }

    [TestMethod]
    public async Task A_worker_that_closes_its_stdin_fails_the_next_run_saying_so_and_the_one_it_ended_keeps_exit_status_0()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("closein", marks, rates: "[0.1, 0.2]", steps: 3, target: "0.1");

        Assert.IsTrue((await sweep.RunAsync(threads: 1)).Complete);
        var rows = await sweep.RowsAsync();

        var ended = rows.Single(r => (double)r["learning_rate"]! == 0.1 && (string)r["transform"]! == "none");
        Assert.AreEqual("stalled", ended["status"]);
        Assert.AreEqual(0, ended["exit_code"]);
        var next = rows.Where(r => (string)r["status"]! == "failed").ToList();
        Assert.HasCount(1, next, "only the run sent to the worker that had closed its stdin");
        StringAssert.StartsWith((string)next[0]["error"]!, "the worker closed its stdin");
        Assert.IsTrue(next[0]["exit_code"] is 143 or 137, $"stopped by the tool: {next[0]["exit_code"]}");
    }

    [TestMethod]
    public void Batch_without_serve_and_a_serving_command_with_per_run_placeholders_are_config_errors()
    {
        var noServe = CommandSweep.Create(CommandSweep.Yaml("[/usr/bin/python3, worker.py]", "[worker.py]", "  batch: 4"), ("worker.py", Quadratic));
        var placeholder = CommandSweep.Create(
            CommandSweep.Yaml("""[/usr/bin/python3, worker.py, "{learning_rate}"]""", "[worker.py]", "  serve: true"), ("worker.py", Quadratic));

        var a = CliProcess.Run(noServe.Folder, "validate", "cmd.yaml");
        var b = CliProcess.Run(placeholder.Folder, "validate", "cmd.yaml");

        Assert.AreEqual(2, a.ExitCode);
        StringAssert.Contains(a.Stderr, "cmd.yaml:9:");
        StringAssert.Contains(a.Stderr, "trainer.batch: batch is for a command that serves many runs: set serve: true");
        Assert.AreEqual(2, b.ExitCode);
        StringAssert.Contains(b.Stderr, "trainer.command[2]");
        StringAssert.Contains(b.Stderr, "{learning_rate}");
    }

    [TestMethod]
    public async Task Devices_are_given_out_one_per_worker_in_its_environment_and_the_run_json()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("slow", marks, rates: "{logspace: {from: 0.01, to: 0.4, count: 6}}", extra: "  devices: [3, gpu-b]", steps: 10);

        var outcome = await sweep.RunAsync(threads: 8);

        Assert.IsTrue(outcome.Complete);
        var seen = Marks(marks, "devices").Select(d => JsonDocument.Parse(d).RootElement).ToList();
        Assert.HasCount(12, seen);
        Assert.IsTrue(seen.All(s => s.GetProperty("cuda").GetString() == s.GetProperty("device").GetString()), "CUDA_VISIBLE_DEVICES is the run's device");
        var byWorker = seen.GroupBy(s => s.GetProperty("pid").GetInt32()).ToList();
        Assert.HasCount(2, byWorker, "one worker per device: devices set the workers, not --threads");
        Assert.IsTrue(byWorker.All(w => w.Select(s => s.GetProperty("device").GetString()).Distinct().Count() == 1), "a worker keeps its device");
        CollectionAssert.AreEquivalent(new[] { "3", "gpu-b" }, byWorker.Select(w => w.First().GetProperty("device").GetString()).ToList());
    }

    [TestMethod]
    public void Devices_auto_takes_the_task_s_gpus_cuda_s_then_slurm_s_and_without_any_is_an_error_at_its_line()
    {
        var sweep = CommandSweep.Create(CommandSweep.Yaml("[/usr/bin/python3, worker.py, serve]", "[worker.py]", "  serve: true\n  devices: auto"), ("worker.py", Quadratic));
        string?[] none = [null, null, null];
        string[] names = ["CUDA_VISIBLE_DEVICES", "SLURM_STEP_GPUS", "SLURM_JOB_GPUS"];
        CliProcess.Result Validate(params string?[] values) =>
            CliProcess.RunWith(sweep.Folder, names.Zip(values).ToDictionary(p => p.First, p => p.Second), "validate", "cmd.yaml");

        var cuda = Validate("4, 5", "7", null);
        var slurm = Validate(null, "2,3,6", "1");
        var neither = Validate(none);

        Assert.AreEqual(0, cuda.ExitCode, cuda.Stderr);
        StringAssert.Contains(cuda.Stdout, "served: 2 worker(s) on devices 4, 5 (1 a device); runs sent one at a time");
        Assert.AreEqual(0, slurm.ExitCode, slurm.Stderr);
        StringAssert.Contains(slurm.Stdout, "served: 3 worker(s) on devices 2, 3, 6");
        Assert.AreEqual(2, neither.ExitCode);
        StringAssert.Contains(neither.Stderr, "cmd.yaml:10:");
        StringAssert.Contains(neither.Stderr, "trainer.devices: auto found no GPUs");

        // An empty or negative CUDA_VISIBLE_DEVICES hides every GPU: not overridden by Slurm's, not a device "-1".
        foreach (var hidden in new[] { "", "-1" })
        {
            var none2 = Validate(hidden, null, "0,1");
            Assert.AreEqual(2, none2.ExitCode, hidden);
            StringAssert.Contains(none2.Stderr, $"auto found no GPUs: CUDA_VISIBLE_DEVICES is '{hidden}', which hides every GPU");
        }
    }

    [TestMethod]
    public void With_devices_trainer_env_may_not_set_cuda_visible_devices()
    {
        var sweep = CommandSweep.Create(
            CommandSweep.Yaml("[/usr/bin/python3, worker.py, serve]", "[worker.py]", "  serve: true\n  devices: [0, 1]\n  env: {CUDA_VISIBLE_DEVICES: '0'}"), ("worker.py", Quadratic));

        var result = CliProcess.Run(sweep.Folder, "validate", "cmd.yaml");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "trainer.env.CUDA_VISIBLE_DEVICES: devices give each worker its CUDA_VISIBLE_DEVICES");
    }

    [TestMethod]
    public void Ctrl_c_with_workers_busy_leaves_no_worker_nor_what_they_started()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("slow", marks, rates: "{logspace: {from: 0.01, to: 0.4, count: 6}}", steps: 200);
        using var process = Process.Start(CliProcess.StartInfo(sweep.Folder, "run", "cmd.yaml", "--out", "results", "--threads", "2", "--quiet"))!;
        Processes.WaitFor(() => Marks(marks, "starts").Length >= 2, "two workers busy", process);
        var pids = Marks(marks, "pids").Select(int.Parse).ToList();
        Assert.IsTrue(pids.All(Processes.Alive));

        Assert.AreEqual(0, kill(process.Id, 2));
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromSeconds(20)), "the sweep did not stop");

        Assert.AreEqual(130, process.ExitCode);
        Assert.AreEqual("interrupted", Manifest.Read(Path.Combine(sweep.Results, Manifest.FileName))!.State);
        Assert.IsEmpty(Processes.StillAlive(Marks(marks, "pids").Select(int.Parse)), "workers and the processes they left in sessions of their own");
    }

    [TestMethod]
    public async Task Killed_outright_then_rerun_each_run_is_stored_once_and_none_stored_runs_again()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("slow", marks, rates: "{logspace: {from: 0.01, to: 0.4, count: 40}}", steps: 3);
        var parts = Path.Combine(sweep.Results, "runs");
        using (var process = Process.Start(CliProcess.StartInfo(sweep.Folder, "run", "cmd.yaml", "--out", "results", "--threads", "2", "--quiet"))!)
        {
            Processes.WaitFor(() => Directory.Exists(parts) && Directory.GetFiles(parts, "part-*.parquet").Length >= 1, "a stored part", process);
            Assert.AreEqual(0, kill(process.Id, 9));
            process.WaitForExit();
        }

        var stored = (await sweep.RowsAsync()).Select(r => (string)r["run_id"]!).ToHashSet();
        File.Move(Path.Combine(marks, "starts"), Path.Combine(marks, "starts-before-kill"));

        var rerun = CliProcess.Run(sweep.Folder, "run", "cmd.yaml", "--out", "results", "--threads", "2", "--quiet");

        Assert.AreEqual(0, rerun.ExitCode, rerun.Stderr);
        var ids = (await sweep.RowsAsync()).Select(r => (string)r["run_id"]!).ToList();
        Assert.HasCount(80, ids);
        Assert.HasCount(80, ids.Distinct().ToList(), "each run is stored exactly once");
        Assert.IsNotEmpty(stored);
        var startedAgain = Marks(marks, "starts");
        CollectionAssert.AreEquivalent(ids.Except(stored).ToList(), startedAgain.ToList(), "the rerun served each missing run once, no stored one");
        Assert.IsEmpty(Processes.StillAlive(Marks(marks, "pids").Select(int.Parse)), "the rerun stopped what the killed sweep's workers left");
    }

    [TestMethod]
    public async Task Shards_of_a_served_sweep_merge_into_every_run_exactly_once()
    {
        var marks = Some.TempDir();
        var sweep = Sweep("serve", marks, rates: "{logspace: {from: 0.01, to: 1, count: 50}}", extra: "  batch: 4", steps: 5);
        File.WriteAllText(Path.Combine(sweep.Folder, "worker.py"), Batched);

        var one = await sweep.RunAsync(threads: 1, shard: new Shard(1, 2));
        var two = await sweep.RunAsync(threads: 1, shard: new Shard(2, 2));
        var merged = CliProcess.Run(sweep.Results, "merge", ".");

        Assert.AreEqual(0, merged.ExitCode, merged.Stderr);
        Assert.AreEqual(100L, one.Totals.Computed + two.Totals.Computed);
        Assert.IsGreaterThan(0L, one.Totals.Computed);
        Assert.IsGreaterThan(0L, two.Totals.Computed);
        var rows = await sweep.RowsAsync();
        Assert.HasCount(100, rows.Select(r => r["run_id"]).Distinct().ToList());
        Assert.HasCount(100, rows);
        Assert.IsTrue(File.Exists(Path.Combine(sweep.Results, "report.html")));
    }
}
