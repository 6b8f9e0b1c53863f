using GdSweeps.Analysis;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Examples;

/// <summary>
/// The command-trainer examples run as shipped: a numpy network (examples/mlp) and the same in PyTorch
/// (examples/torch),
/// each through Debian's /usr/bin/python3 (scripts/test-deps.sh installs python3-numpy and python3-torch).
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class ExampleTests
{
    /// <summary>The numpy example's sweep, run once for the tests that read it.</summary>
    private static readonly Lazy<Task<string>> Mlp = new(() => RunAsync("mlp", "mlp.yaml"));

    /// <summary>The PyTorch example's per-run sweep, run once for the tests that read it.</summary>
    private static readonly Lazy<Task<string>> Torch = new(() => RunAsync("torch", "torch.yaml"));

    private static async Task<string> RunAsync(string example, string config, params string[] overrides)
    {
        var directory = Some.TempDir();
        var plan = SweepPlan.Load(Path.Combine(Some.RepoRoot, "examples", example, config), overrides);
        await SweepSession.RunAsync(plan, directory, new RunOptions(Environment.ProcessorCount), null, CancellationToken.None);
        return directory;
    }

    private static async Task<List<Dictionary<string, object?>>> SummaryAsync(string directory)
    {
        var rows = new List<Dictionary<string, object?>>();
        var path = Path.Combine(directory, SummaryFiles.SummaryFileName);
        var schema = await GdSweeps.Results.RunSchema.ReadAsync(Stored.Parts(directory)[0], CancellationToken.None);
        var table = SummaryFiles.SummaryFor(schema);
        foreach (var chunk in await table.ReadAsync(path))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                rows.Add(table.Columns.ToDictionary(c => c.Name, c => chunk.Stored(c).GetValue(i)));
            }
        }

        return rows;
    }

    [TestMethod]
    public async Task The_numpy_network_s_report_shows_the_stable_range_of_each_preprocessing_and_the_sharpness_figure()
    {
        var directory = await Mlp.Value;

        var summary = await SummaryAsync(directory);
        var html = File.ReadAllText(Path.Combine(directory, "report.html"));
        var markdown = File.ReadAllText(Path.Combine(directory, "report.md"));

        Assert.HasCount(12, summary); // 3 transforms x 2 clips x 2 widths
        Assert.AreEqual(0, summary.Sum(g => (int)g["failed"]!), "every run of the example ran");
        foreach (var transform in new[] { "none", "log1p", "standardize" })
        {
            var unclipped = summary.Where(g => (string)g["transform"]! == transform && g["clip"] is null).ToList();
            Assert.HasCount(2, unclipped);
            Assert.IsTrue(unclipped.All(g => g["max_stable_lr"] is double && g["min_unstable_lr"] is double && g["sharpness_0"] is double), transform);
        }

        // Preprocessing moves the edge: raw x up to 200 needs rates far below a standardized x's.
        double Edge(string transform) => summary.Where(g => (string)g["transform"]! == transform && g["clip"] is null).Min(g => (double)g["max_stable_lr"]!);
        Assert.IsLessThan(Edge("standardize") / 3, Edge("none"));
        StringAssert.Contains(markdown, "| transform | clip | hidden | sharpness_0 | lr_crit = 2/sharpness_0 | converges up to | first not converging |");
        StringAssert.Contains(html, "aria-label=\"sharpness against step beside 2/lr for the learning rates around each stability edge\"");
        StringAssert.Contains(html, "<h3>Preprocessing compared in the original units of y</h3>");
    }

    [TestMethod]
    public async Task For_full_batch_gd_two_over_sharpness_0_lies_in_the_measured_bracket_or_the_report_says_why_and_the_runs_bear_it_out()
    {
        var directory = await Mlp.Value;
        var summary = await SummaryAsync(directory);
        var runs = await Stored.RowsByNameAsync(directory);

        foreach (var group in summary.Where(g => g["clip"] is null))
        {
            var crit = (double)group["lr_crit"]!;
            var (stable, unstable) = ((double)group["max_stable_lr"]!, (double)group["min_unstable_lr"]!);
            var statement = (string)group["edge_vs_sharpness"]!;
            var mine = runs.Where(r => (string)r["group_id"]! == (string)group["group_id"]!).ToList();
            Assert.AreEqual(2 / mine.Max(r => (double)r["sharpness_0"]!), crit, 1e-12 * crit);
            if (stable <= crit && crit <= unstable)
            {
                StringAssert.Contains(statement, "lies in the measured bracket");
            }
            else if (crit < stable)
            {
                // Stable above 2/sharpness_0: those runs' sharpness must have come down to 2/lr, as the report says.
                StringAssert.Contains(statement, "self-stabilization");
                Assert.IsTrue(mine.Any(r => (double)r["learning_rate"]! > crit && (string)r["status"]! is not ("diverged" or "diverging")
                    && (double)r["sharpness_min"]! * (double)r["learning_rate"]! / 2 <= 1), statement);
            }
            else
            {
                // Unstable below it: the sharpness must have risen past 2/lr.
                StringAssert.Contains(statement, "progressive sharpening");
                Assert.IsTrue(mine.Any(r => (double)r["learning_rate"]! < crit && (string)r["status"]! is "diverged" or "diverging"
                    && (double)r["sharpness_ratio_max"]! >= 1), statement);
            }
        }
    }

    [TestMethod]
    public async Task At_1400_px_nothing_of_the_numpy_network_s_report_overflows_its_box_the_sharpness_figure_included()
    {
        Chromium.Require();
        var html = Path.Combine(await Mlp.Value, "report.html");

        var layout = ReportLayout.Measure(html, 1400);

        var png = Path.Combine(AppContext.BaseDirectory, "report-layout", "mlp.png");
        ReportLayout.Screenshot(html, png, 1400, layout.Height);
        Assert.AreEqual(4, layout.Svgs, "the map, the intervals, the loss curves and the sharpness curves");
        Assert.IsEmpty(layout.Problems, $"examples/mlp at 1400 px (screenshot: {png}):\n{string.Join("\n", layout.Problems.Take(40))}");
    }

    /// <summary>
    /// examples/analysis.ipynb, executed as the README says (jupyter nbconvert, Debian's Python without pyarrow, so
    /// through gdsweeps export): no cell fails, it draws its figure, and its table of stable ranges is the summary's.
    /// </summary>
    [TestMethod]
    public async Task The_analysis_notebook_runs_in_jupyter_and_shows_the_summary_s_stable_range_per_preprocessing()
    {
        var seed = await Some.SweepAsync(Some.Config());
        var work = Some.TempDir();
        var result = Processes.Run(
            "jupyter", ["nbconvert", "--to", "notebook", "--execute", Path.Combine(Some.RepoRoot, "examples", "analysis.ipynb"), "--output-dir", work],
            new Dictionary<string, string> { ["GDSWEEPS_RESULTS"] = seed, ["GDSWEEPS"] = $"dotnet {CliProcess.Dll}", ["GDSWEEPS_FIGURE"] = Path.Combine(work, "figure.png") });
        Assert.AreEqual(0, result.ExitCode, result.Stderr);

        using var notebook = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "analysis.ipynb")));
        var outputs = notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.TryGetProperty("outputs", out _)).SelectMany(c => c.GetProperty("outputs").EnumerateArray()).ToList();
        Assert.IsFalse(outputs.Any(o => o.GetProperty("output_type").GetString() == "error"), "a cell failed");
        string Text(System.Text.Json.JsonElement o) => string.Concat(
            (o.TryGetProperty("text", out var t) ? t : o.TryGetProperty("data", out var d) && d.TryGetProperty("text/plain", out var p) ? p : default) is { ValueKind: System.Text.Json.JsonValueKind.Array } lines
                ? lines.EnumerateArray().Select(l => l.GetString()) : []);
        var text = string.Join("\n", outputs.Select(Text));
        StringAssert.Contains(text, "400 runs in 16 groups");
        Assert.IsTrue(outputs.Any(o => o.TryGetProperty("data", out var d) && d.TryGetProperty("image/png", out _)), "the figure is drawn");
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(work, "figure.png"))[..4]);

        // The ranges table, each unclipped group a line: dataset, transform, then lr_crit to max_stable_lr as %.6g.
        var table = outputs.Select(Text).Single(t => t.Contains("measured / theory", StringComparison.Ordinal));
        foreach (var g in (await Stored.SummaryAsync(seed)).Where(g => g.Clip is null))
        {
            var figures = $"{g.Dataset} {g.Transform} {G6(g.LrCrit)}";
            Assert.IsTrue(table.Split('\n').Any(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)).StartsWith(figures, StringComparison.Ordinal)
                && line.Contains(G6(g.MaxStableLr), StringComparison.Ordinal) && line.Contains(G6(g.MaxStableLr / g.LrCrit), StringComparison.Ordinal)), $"{figures}, max_stable_lr {G6(g.MaxStableLr)} in:\n{table}");
        }
    }

    /// <summary>
    /// The notebook on a command trainer's sweep (examples/mlp: no optimizer nor clip column, a width axis): no cell
    /// fails, and each group's row is labelled by what varies.
    /// </summary>
    [TestMethod]
    public async Task The_analysis_notebook_runs_on_a_command_trainer_s_sweep()
    {
        var mlp = await Mlp.Value;
        var work = Some.TempDir();
        var result = Processes.Run(
            "jupyter", ["nbconvert", "--to", "notebook", "--execute", Path.Combine(Some.RepoRoot, "examples", "analysis.ipynb"), "--output-dir", work],
            new Dictionary<string, string> { ["GDSWEEPS_RESULTS"] = mlp, ["GDSWEEPS"] = $"dotnet {CliProcess.Dll}" });
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var notebook = File.ReadAllText(Path.Combine(work, "analysis.ipynb"));
        Assert.DoesNotContain("\"output_type\": \"error\"", notebook);
        StringAssert.Contains(notebook, "156 runs in 12 groups");
        StringAssert.Contains(notebook, "image/png");
    }

    /// <summary>A number as Python's <c>{:.6g}</c> prints it.</summary>
    private static string G6(double? value)
    {
        var v = value!.Value;
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = (v / Math.Pow(10, exponent)).ToString("0.#####", System.Globalization.CultureInfo.InvariantCulture);
            return $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):D2}";
        }

        return v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
    }

    [TestMethod]
    public void The_readme_shows_the_numpy_example_s_config_as_it_runs()
    {
        var readme = File.ReadAllText(Path.Combine(Some.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("### Your own model: a command trainer", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + 8;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var folder = Path.Combine(Some.RepoRoot, "examples", "mlp");

        var shown = Some.Runs(SweepPlan.Parse(yaml, Path.Combine(folder, "readme.yaml"))).Select(r => r.Id);
        var shipped = Some.Runs(SweepPlan.Load(Path.Combine(folder, "mlp.yaml"))).Select(r => r.Id);

        CollectionAssert.AreEqual(shipped.ToList(), shown.ToList());
    }

    [TestMethod]
    public async Task The_pytorch_network_runs_as_shipped_with_autograd_s_sharpness()
    {
        var directory = await Torch.Value;

        var runs = await Stored.RowsByNameAsync(directory);

        Assert.HasCount(10, runs);
        Assert.IsFalse(runs.Any(r => (string)r["status"]! == "failed"), string.Join("\n", runs.Select(r => r["error"])));
        Assert.IsTrue(runs.All(r => r["sharpness_0"] is double s && s > 0));
        Assert.IsTrue(runs.Any(r => (string)r["status"]! == "diverged") && runs.Any(r => (string)r["status"]! is "stalled" or "oscillating" or "converged"));
        StringAssert.Contains(File.ReadAllText(Path.Combine(directory, "report.html")), "sharpness against step beside 2/lr");
    }

    [TestMethod]
    public async Task The_pytorch_worker_form_stores_what_the_per_run_form_stores() =>
        await AssertSameRunsAsync(await Torch.Value, await RunAsync("torch", "worker.yaml", "learning_rates=[0.01, 0.03, 0.1, 0.3, 1]"), 10);

    [TestMethod]
    public async Task The_numpy_worker_form_stores_what_the_per_run_form_stores() =>
        await AssertSameRunsAsync(await Mlp.Value, await RunAsync("mlp", "worker.yaml"), 156);

    /// <summary>
    /// Every stored value of <paramref name="served"/>'s runs is <paramref name="perRun"/>'s, but for what tells the
    /// forms apart: ids (serve is part of them), timings, the per-run process's exit status (143 when stopped) and
    /// its stderr.
    /// </summary>
    private static async Task AssertSameRunsAsync(string perRun, string served, int count)
    {
        var a = (await Stored.RowsByNameAsync(served)).OrderBy(r => (long)r["run_index"]!).ToList();
        var b = (await Stored.RowsByNameAsync(perRun)).OrderBy(r => (long)r["run_index"]!).ToList();

        Assert.HasCount(count, a);
        Assert.HasCount(count, b);
        string[] differ = ["run_id", "group_id", "duration_s", "exit_code", "stderr_tail", "log"];
        for (var i = 0; i < a.Count; i++)
        {
            foreach (var (column, value) in a[i].Where(c => !differ.Contains(c.Key)))
            {
                Assert.AreEqual(System.Text.Json.JsonSerializer.Serialize(b[i][column]), System.Text.Json.JsonSerializer.Serialize(value), $"{column} of run {i}");
            }
        }
    }

    [TestMethod]
    public async Task The_batched_pytorch_example_agrees_with_the_per_run_network_step_by_step_and_in_its_statuses()
    {
        // One group's 24 rates trained together against the same runs one by one (the worker form: train.py's fit).
        const string Rates = "learning_rates={logspace: {from: 0.001, to: 3, count: 24}}";
        var batched = RunAsync("torch_batched", "batched.yaml", Rates);
        var single = RunAsync("torch", "worker.yaml", Rates);
        var (a, b) = (await Stored.RowsByNameAsync(await batched), await Stored.RowsByNameAsync(await single));
        var (ca, cb) = (await Stored.CurvesByNameAsync(await batched), await Stored.CurvesByNameAsync(await single));

        static string Key(Dictionary<string, object?> r) => $"{r["transform"]} {r["learning_rate"]:R}";
        var other = b.ToDictionary(Key);
        Assert.HasCount(48, a);
        Assert.IsTrue(a.All(r => (string)r["status"]! != "failed"), string.Join("; ", a.Select(r => r["error"])));
        var standardized = a.Where(r => (string)r["transform"]! == "standardize").ToList();
        Assert.IsTrue(standardized.All(r => r["status"]!.Equals(other[Key(r)]["status"])), "statuses on standardized data");
        Assert.IsTrue(standardized.Select(r => r["status"]).Distinct().Count() >= 3, "the grid spans stable and unstable rates");

        // The first 10 steps of every run that settles (stalled or converged) agree to 1e-12: in a run past the edge
        // each step multiplies a rounding difference by |1 - lr lambda| > 1 in some direction. The sharpness agrees on
        // standardized data; on raw x the power iteration's shifted stage starts from a vector almost orthogonal to
        // the top one, so in either form its digits past the first few are rounding.
        var steady = a.Where(r => r["status"] is "stalled" or "converged").ToDictionary(r => (long)r["run_index"]!, r => r);
        var index = b.ToDictionary(r => Key(r), r => (long)r["run_index"]!);
        var reference = cb.ToDictionary(c => ((long)c["run_index"]!, (int)c["step"]!));
        var compared = 0;
        foreach (var c in ca.Where(c => (int)c["step"]! < 10 && steady.ContainsKey((long)c["run_index"]!)))
        {
            var run = steady[(long)c["run_index"]!];
            var twin = reference[(index[Key(run)], (int)c["step"]!)];
            var columns = (string)run["transform"]! == "standardize" ? new[] { "loss", "gradient_norm", "sharpness" } : ["loss", "gradient_norm"];
            foreach (var column in columns.Where(k => c[k] is not null))
            {
                var (x, y) = ((double)c[column]!, (double)twin[column]!);
                Assert.AreEqual(y, x, 1e-12 * Math.Abs(y), $"{column} at step {c["step"]} of {Key(run)}");
                compared++;
            }
        }

        Assert.IsGreaterThan(300, compared, "values compared");
    }
}
