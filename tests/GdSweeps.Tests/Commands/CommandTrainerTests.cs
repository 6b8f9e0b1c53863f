using System.Diagnostics;
using System.Text.Json;
using GdSweeps.Commands;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Commands;

/// <summary>
/// A command trainer's runs, end to end through a real process: what they report is stored like the built-in models'
/// runs, and every way a command can fail is a failed run with its reason while the sweep goes on.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class CommandTrainerTests
{
    /// <summary>
    /// GD on loss = w^2 from w = 1 (sharpness 2): w_t = (1 - 2 lr)^t. awk prints the protocol, flushing each line.
    /// </summary>
    private const string Quadratic = """
        awk -v lr="$1" -v n="$2" 'BEGIN { w = 1
          for (t = 0; t <= n; t++) {
            l = w * w; g = (w < 0 ? -2 * w : 2 * w)
            printf "{\"step\": %d, \"loss\": %.17g, \"grad_norm\": %.17g, \"sharpness\": 2}\n", t, l, g; fflush()
            if (l > 1e12) exit
            w = w - lr * 2 * w }
          printf "{\"final\": {\"loss_original\": %.17g}}\n", l }'
        echo "done" >&2
        """;

    private static CommandSweep Sweep(string script, string extra = "", string rates = "[0.1, 0.2]", int steps = 20) =>
        CommandSweep.Create(CommandSweep.Yaml("""[/bin/sh, run.sh, "{learning_rate}", "{steps}"]""", "[run.sh]", extra, rates, steps), ("run.sh", script));

    [TestMethod]
    public async Task Compare_of_two_command_sweeps_with_parameters_gives_the_table_by_parameter()
    {
        // Two sweeps of one script, its parameter width on [1, 2] and on [2, 4]: the groups of width 2 match.
        var a = Sweep(Quadratic, extra: "params: {width: [1, 2]}", rates: "[0.1, 1.2]", steps: 30);
        var b = Sweep(Quadratic, extra: "params: {width: [2, 4]}", rates: "[0.1, 1.2]", steps: 30);
        Assert.IsTrue((await a.RunAsync()).Complete);
        Assert.IsTrue((await b.RunAsync()).Complete);

        var outcome = await Compare.RunAsync(a.Results, b.Results, null, CancellationToken.None);
        var text = Compare.Text(outcome);

        Assert.AreEqual(2, outcome.Groups.Count(g => g.In == "both"), text);
        Assert.IsTrue(outcome.Groups.Where(g => g.In == "both").All(g => Equals(g.Setting["param_width"], 2L)), text);
        StringAssert.Contains(text, "2 groups in both, 2 only in a, 2 only in b");
        StringAssert.Contains(text, "| none / width 2 | 0.1 (same) |");
        StringAssert.Contains(text, "only in b: none / width 4");
        Assert.IsTrue(File.Exists(outcome.File));
        StringAssert.Contains(outcome.Groups[0].Setting.ToString(), "width=1");
    }

    [TestMethod]
    public async Task A_command_s_runs_are_stored_with_their_statuses_sharpness_logs_and_the_bound_two_over_sharpness()
    {
        var sweep = Sweep(Quadratic, rates: "[0.1, 0.5, 1.2]", steps: 50);

        var outcome = await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        Assert.HasCount(6, rows);
        var byRate = rows.Where(r => (string)r["transform"]! == "none").ToDictionary(r => (double)r["learning_rate"]!);
        Assert.AreEqual("stalled", byRate[0.1]["status"]);             // gradient 0.8^50: a hundred-thousandfold, not a millionfold
        Assert.AreEqual("converged", byRate[0.5]["status"]);           // w = 0 after one step: the gradient norm is 0
        Assert.AreEqual(1, byRate[0.5]["converged_at_step"]);
        Assert.AreEqual("diverged", byRate[1.2]["status"]);            // |1 - 2.4| = 1.4 per step: the loss passes 1e12 at step 42
        Assert.AreEqual(42, byRate[1.2]["diverged_at_step"]);
        Assert.AreEqual("diverged", byRate[1.2]["stopped"]);
        Assert.AreEqual(1.0, byRate[0.1]["lr_crit"]);                  // 2 / sharpness 2
        Assert.AreEqual(2.0, byRate[0.1]["sharpness_0"]);
        Assert.AreEqual(0.1, (double)byRate[0.1]["sharpness_ratio_max"]!, 1e-12);
        // The built-in models' axes and figures are not a command's: its runs have no such columns, rather than placeholders.
        foreach (var column in new[] { "model", "loss", "w0", "b0", "optimizer", "schedule", "lambda_max", "final_w", "clipped_steps" })
        {
            Assert.IsFalse(byRate[0.1].ContainsKey(column), column);
        }

        Assert.AreEqual(0, byRate[0.1]["exit_code"]);
        Assert.AreEqual(1, byRate[0.1]["attempts"]);
        Assert.AreEqual("done", byRate[0.1]["stderr_tail"]);
        Assert.AreEqual(Math.Pow(0.8, 100), (double)byRate[0.1]["final_loss_original"]!, 1e-22);
        StringAssert.Contains(sweep.Log(byRate[0.1]["run_id"]), "err | done");
        var summary = await Stored.SummaryAsync(sweep.Results);
        Assert.AreEqual(1.0, summary[0].LrCrit);
    }

    [TestMethod]
    public async Task A_failing_command_is_a_failed_run_with_its_exit_status_and_stderr_tried_again_and_the_sweep_goes_on()
    {
        var sweep = Sweep("""
            if [ "$1" = "0.2" ]; then echo "boom: no such layer" >&2; exit 3; fi

            """ + Quadratic, extra: "  retries: 2");

        var outcome = await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        var failed = rows.Where(r => (string)r["status"]! == "failed").ToList();
        Assert.HasCount(2, failed);
        Assert.IsTrue(failed.All(r => (double)r["learning_rate"]! == 0.2));
        Assert.AreEqual("the command exited with status 3 (after 3 attempts)", failed[0]["error"]);
        Assert.AreEqual(3, failed[0]["exit_code"]);
        Assert.AreEqual(3, failed[0]["attempts"]);
        Assert.AreEqual("boom: no such layer", failed[0]["stderr_tail"]);
        Assert.AreEqual(2, rows.Count(r => (string)r["status"]! == "stalled"));
        Assert.AreEqual(2L, outcome.Statuses[RunStatus.Failed]);
    }

    [TestMethod]
    public async Task A_command_that_runs_past_its_timeout_is_stopped_and_failed()
    {
        var sweep = Sweep("""
            echo '{"step": 0, "loss": 1}'
            sleep 30
            """, extra: "  timeout: 500ms", rates: "[0.1]");
        var clock = Stopwatch.StartNew();

        await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds, "both runs stopped at their timeout, not after the sleep");
        Assert.IsTrue(rows.All(r => (string)r["status"]! == "failed" && (string?)r["stopped"] == "timeout"));
        Assert.AreEqual("timed out after 0.5 s", rows[0]["error"]);
        Assert.AreEqual(143, rows[0]["exit_code"]);
    }

    [TestMethod]
    public async Task Malformed_output_is_a_failed_run_naming_the_line_and_text_lines_go_to_the_log()
    {
        var sweep = Sweep("""
            echo "loading the data"
            echo '{"step": 0, "loss": 1}'
            echo '{"step": 1, "loss": "low"}'
            """, rates: "[0.1]");

        await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.AreEqual("failed", rows[0]["status"]);
        Assert.AreEqual("malformed output", rows[0]["stopped"]);
        StringAssert.StartsWith((string)rows[0]["error"]!, "stdout line 3: \"loss\" must be a number, got \"low\"");
        StringAssert.Contains(sweep.Log(rows[0]["run_id"]), "out | loading the data");
    }

    [TestMethod]
    public async Task A_negative_loss_without_grad_norm_is_a_failed_run_that_says_why_and_with_it_is_judged_by_the_gradient()
    {
        // A log-likelihood: the loss falls below 0. Without grad_norm the loss is the measure, so this cannot be read.
        var sweep = Sweep("""
            echo '{"step": 0, "loss": -1}'
            echo '{"step": 1, "loss": -2}'
            """, rates: "[0.1]", steps: 1);
        var judged = Sweep("""
            echo '{"step": 0, "loss": -1, "grad_norm": 1}'
            echo '{"step": 1, "loss": -2, "grad_norm": 1e-9}'
            """, rates: "[0.1]", steps: 1);

        await sweep.RunAsync();
        await judged.RunAsync();
        var rows = await sweep.RowsAsync();
        var judgedRows = await judged.RowsAsync();

        Assert.AreEqual("failed", rows[0]["status"]);
        StringAssert.StartsWith((string)rows[0]["error"]!, "the loss went negative (-1)");
        StringAssert.Contains(sweep.Log(rows[0]["run_id"]), "the run failed: the loss went negative");
        Assert.AreEqual("converged", judgedRows[0]["status"], (string?)judgedRows[0]["error"]);
        StringAssert.Contains(judged.Log(judgedRows[0]["run_id"]), "the run is converged");
    }

    [TestMethod]
    public async Task A_diverging_run_is_stopped_at_the_step_it_crossed_the_threshold()
    {
        var sweep = Sweep("""
            echo '{"step": 0, "loss": 1}'
            echo '{"step": 1, "loss": 1e13}'
            sleep 30
            echo '{"step": 2, "loss": 1}'
            """, rates: "[0.1]");
        var clock = Stopwatch.StartNew();

        await sweep.RunAsync();
        var rows = await sweep.RowsAsync();

        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds, "stopped at the crossing, not after the sleep");
        Assert.IsTrue(rows.All(r => (string)r["status"]! == "diverged" && (int?)r["diverged_at_step"] == 1 && (string?)r["stopped"] == "diverged"));
        Assert.AreEqual(1e13, rows[0]["final_loss"]);
    }

    [TestMethod]
    public async Task A_runaway_child_is_stopped_at_the_output_limit_with_a_clear_failure()
    {
        var sweep = Sweep("""
            echo '{"step": 0, "loss": 1}'
            yes "spam spam spam spam spam spam spam spam spam spam spam spam spam spam"
            """, rates: "[0.1]");

        await sweep.RunAsync(threads: 1);
        var rows = await sweep.RowsAsync();

        Assert.AreEqual("output limit", rows[0]["stopped"]);
        StringAssert.Contains((string)rows[0]["error"]!, "wrote more than 8 MiB of text besides the protocol");
        Assert.IsLessThan(9L << 20, new FileInfo(Path.Combine(sweep.Results, "logs", $"{rows[0]["run_id"]}.log")).Length);
    }

    [TestMethod]
    public async Task Parameter_values_with_spaces_quotes_and_shell_syntax_arrive_verbatim_in_arguments_environment_and_run_json()
    {
        var script = """
            import json, os, sys
            run = json.load(open(os.environ["GDSWEEPS_RUN_JSON"]))
            print(json.dumps({"argv": sys.argv[1:], "env": os.environ["GDSWEEPS_PARAM_NOTE"], "json": run["params"]["note"],
                              "cwd": os.getcwd(), "home": os.environ["HOME"], "data": os.environ["GDSWEEPS_DATA"], "keys": sorted(os.environ)}), file=sys.stderr)
            print(json.dumps({"step": 0, "loss": 1.0}))
            """;
        var sweep = CommandSweep.Create(
            CommandSweep.Yaml("""[/usr/bin/python3, echo.py, "{note}", "--note={note}", "{{literal}}"]""", "[echo.py]",
                "params:\n  note: [\"two words\", \"it's \\\"quoted\\\"\", \"$(touch pwned) `id` ; rm -rf x\"]", rates: "[0.1]"),
            ("echo.py", script));
        Environment.SetEnvironmentVariable("GDSWEEPS_TEST_SECRET", "not for children");
        try
        {
            await sweep.RunAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("GDSWEEPS_TEST_SECRET", null);
        }

        var rows = await sweep.RowsAsync();
        string[] notes = ["two words", "it's \"quoted\"", "$(touch pwned) `id` ; rm -rf x"];
        Assert.HasCount(6, rows);
        foreach (var row in rows)
        {
            var note = (string)row["param_note"]!;
            CollectionAssert.Contains(notes, note);
            var told = JsonDocument.Parse(sweep.Log(row["run_id"]).Split('\n').First(l => l.StartsWith("err | {", StringComparison.Ordinal))[6..]).RootElement;
            CollectionAssert.AreEqual(new[] { note, "--note=" + note, "{literal}" }, told.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToArray());
            Assert.AreEqual(note, told.GetProperty("env").GetString());
            Assert.AreEqual(note, told.GetProperty("json").GetString());
            Assert.AreEqual(sweep.Folder, told.GetProperty("cwd").GetString(), "the command runs in the config's folder");
            Assert.IsFalse(told.GetProperty("home").GetString()!.StartsWith(sweep.Results, StringComparison.Ordinal));
            Assert.IsFalse(told.GetProperty("data").GetString()!.StartsWith(sweep.Results, StringComparison.Ordinal), "the child reads a copy of the data");
            var keys = told.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToList();
            CollectionAssert.DoesNotContain(keys, "GDSWEEPS_TEST_SECRET", "the child's environment is clean");
        }

        Assert.IsFalse(File.Exists(Path.Combine(sweep.Folder, "pwned")), "no shell ever ran a value");
        CollectionAssert.AreEquivalent(notes, rows.Select(r => (string)r["param_note"]!).Distinct().ToArray());
    }

    [TestMethod]
    public async Task The_transformed_data_is_written_once_per_dataset_and_transform_with_its_fitted_parameters()
    {
        var sweep = Sweep(Quadratic, rates: "[0.1]");

        await sweep.RunAsync();

        var data = Directory.GetFiles(Path.Combine(sweep.Results, "data")).Select(Path.GetFileName).Order().ToList();
        Assert.HasCount(6, data);
        var csv = File.ReadAllLines(Path.Combine(sweep.Results, "data", data.First(f => f!.Contains("standardize", StringComparison.Ordinal) && f.EndsWith(".csv", StringComparison.Ordinal))!));
        Assert.AreEqual("x,y,y_raw", csv[0]);
        Assert.AreEqual("8.5", csv[4].Split(',')[2]);
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(sweep.Results, "data", data.First(f => f!.Contains("standardize", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal))!))).RootElement;
        var y = meta.GetProperty("y").GetProperty("steps")[0];
        Assert.AreEqual("standardize", y.GetProperty("transform").GetString());
        Assert.AreEqual(5.125, y.GetProperty("shift").GetDouble(), 1e-12);
        var manifest = Manifest.Read(Path.Combine(sweep.Results, Manifest.FileName))!;
        Assert.AreEqual(6, manifest.Files.Count(f => f.File.StartsWith("data/", StringComparison.Ordinal)));
        Assert.AreEqual(2, manifest.Files.Count(f => f.File.StartsWith("logs/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task A_change_to_an_input_recomputes_every_run_and_nothing_else_does()
    {
        // With parameters of each kind: a rerun that computes nothing reads every stored column back, its own included.
        var sweep = Sweep(Quadratic, extra: "params: {width: [8, 16], act: tanh, decay: 0.5}");
        var first = await sweep.RunAsync();
        var report = await File.ReadAllTextAsync(Path.Combine(sweep.Results, "report.md"));

        var same = await sweep.RunAsync();
        var again = await File.ReadAllTextAsync(Path.Combine(sweep.Results, "report.md"));
        File.AppendAllText(Path.Combine(sweep.Folder, "run.sh"), "# a comment changes the script\n");
        var changed = await sweep.RunAsync();

        Assert.AreEqual(8L, first.Totals.Computed);
        Assert.AreEqual(0L, same.Totals.Computed);
        Assert.AreEqual(8L, same.Totals.Reused);
        Assert.AreEqual(report, again, "a rerun that computes nothing writes the same report");
        Assert.Contains("width", again);
        Assert.AreEqual(8L, changed.Totals.Computed);
        Assert.AreEqual(0L, changed.Totals.Reused);
        Assert.HasCount(8, await sweep.RowsAsync());
        Assert.HasCount(16, Directory.GetFiles(Path.Combine(sweep.Results, "logs")), "the logs of the runs kept aside for reuse stay with them");
    }

    [TestMethod]
    public async Task An_input_edited_during_the_sweep_stops_it_and_no_run_is_stored_under_the_hash_it_did_not_use()
    {
        // The first attempt edits model.txt, an input: every run that may have read the edited file is dropped, the
        // sweep stops saying which input changed, and after the edit is reverted a rerun computes what was dropped.
        var sweep = CommandSweep.Create(
            CommandSweep.Yaml("""[/bin/sh, run.sh, "{learning_rate}", "{steps}"]""", "[run.sh, model.txt]", rates: "{logspace: {from: 0.01, to: 0.4, count: 12}}"),
            ("run.sh", "[ -e edited ] || { touch edited; echo edited >> model.txt; }\n" + Quadratic), ("model.txt", "the model\n"));

        var error = await Assert.ThrowsExactlyAsync<TrainerStoppedException>(() => sweep.RunAsync(threads: 2));
        StringAssert.Contains(error.Message, "trainer input model.txt changed during the sweep");
        var manifest = Manifest.Read(Path.Combine(sweep.Results, Manifest.FileName))!;
        Assert.AreEqual("failed", manifest.State);

        File.WriteAllText(Path.Combine(sweep.Folder, "model.txt"), "the model\n");
        var rerun = await sweep.RunAsync(threads: 2);

        Assert.IsTrue(rerun.Complete);
        Assert.IsGreaterThanOrEqualTo(1L, rerun.Totals.Computed, "the dropped runs are computed, under the hash of the file they read");
        Assert.AreEqual(24L, rerun.Totals.Runs);
        Assert.HasCount(24, await sweep.RowsAsync());
    }

    [TestMethod]
    [DataRow("echo 1,2 >> \"$GDSWEEPS_DATA\"")]
    [DataRow("cp \"$GDSWEEPS_DATA\" x; echo 1,2 >> x; mv x \"$GDSWEEPS_DATA\"")]
    public async Task A_run_that_changes_its_data_fails_saying_so_and_the_next_runs_get_the_data_back(string tamper)
    {
        // The first run rewrites the copy of the data it was given (in place, or by moving another file over it).
        var sweep = CommandSweep.Create(
            CommandSweep.Yaml("""[/bin/sh, run.sh, "{learning_rate}", "{steps}"]""", "[run.sh]", rates: "{logspace: {from: 0.01, to: 0.4, count: 6}}"),
            ("run.sh", $"[ \"$1\" = 0.01 ] && {{ {tamper}; }}\nwc -l < \"$GDSWEEPS_DATA\" >&2\n" + Quadratic));

        var outcome = await sweep.RunAsync(threads: 1);
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete);
        var tampered = rows.Where(r => (double)r["learning_rate"]! == 0.01).ToList();
        Assert.HasCount(2, tampered);
        Assert.IsTrue(tampered.All(r => (string)r["status"]! == "failed" && ((string)r["error"]!).Contains("was changed while the run used it", StringComparison.Ordinal)), string.Join("; ", tampered.Select(r => r["error"])));
        var others = rows.Where(r => (double)r["learning_rate"]! != 0.01).ToList();
        Assert.HasCount(10, others);
        Assert.IsTrue(others.All(r => (string)r["status"]! != "failed"), "every later run had its data back");
        Assert.IsTrue(others.All(r => ((string)r["stderr_tail"]!).StartsWith("5\n", StringComparison.Ordinal)), "a header and four rows: " + string.Join(", ", others.Select(r => r["stderr_tail"])));
    }

    [TestMethod]
    public async Task Shards_of_a_command_sweep_merge_into_every_run_exactly_once()
    {
        var sweep = Sweep(Quadratic, rates: "{logspace: {from: 0.01, to: 1, count: 10}}");

        var one = await sweep.RunAsync(threads: 1, shard: new Shard(1, 2));
        var two = await sweep.RunAsync(threads: 1, shard: new Shard(2, 2));
        var merged = CliProcess.Run(sweep.Results, "merge", ".");

        Assert.AreEqual(0, merged.ExitCode, merged.Stderr);
        Assert.AreEqual(20L, one.Totals.Computed + two.Totals.Computed);
        Assert.IsGreaterThan(0L, one.Totals.Computed);
        var rows = await sweep.RowsAsync();
        Assert.HasCount(20, rows);
        Assert.HasCount(20, rows.Select(r => r["run_id"]).Distinct().ToList());
        Assert.IsTrue(File.Exists(Path.Combine(sweep.Results, "report.html")));
        Assert.HasCount(20, Directory.GetFiles(Path.Combine(sweep.Results, "logs")));
    }

    [TestMethod]
    public async Task Refinement_bisects_a_command_s_edge_to_two_over_its_sharpness_and_report_rebuilds_the_same_report_from_the_parts()
    {
        // The edge of GD on w^2 is lr = 1 exactly (sharpness 2): at it the error flips sign and keeps its size.
        var sweep = Sweep(Quadratic, extra: "refine: true", rates: "[0.3, 3]", steps: 60);

        await sweep.RunAsync();
        var summary = await Stored.SummaryAsync(sweep.Results);
        var report = File.ReadAllText(Path.Combine(sweep.Results, "report.md"));
        var rebuilt = CliProcess.Run(sweep.Results, "report", ".");

        Assert.AreEqual(0, rebuilt.ExitCode, rebuilt.Stderr);
        Assert.AreEqual(report, File.ReadAllText(Path.Combine(sweep.Results, "report.md")));
        foreach (var group in summary)
        {
            Assert.IsGreaterThan(0, group.RefinementRuns);
            Assert.AreEqual(1.0, group.LrCrit);
            Assert.IsTrue(group.EdgeRatio is >= 0.99 and <= 1, $"edge ratio {group.EdgeRatio}");
        }

        StringAssert.Contains(report, "2/sharpness_0 = 1 lies in the measured bracket");
    }
}
