using System.Diagnostics;
using GdSweeps.Cli;
using GdSweeps.Commands;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// Small inputs that used to cost unbounded work, lie their way into a verdict, block for ever or end in a trace: each
/// is a clear error, a bounded loop, or the right status.
/// </summary>
[TestClass]
public sealed class BoundsTests
{
    private static IReadOnlyList<ConfigError> Errors(string yaml) =>
        Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(yaml, "bad.yaml")).Errors;

    private static IReadOnlyList<ConfigError> OverrideErrors(string yaml, params string[] overrides)
    {
        var reading = ConfigLoader.Read(yaml, "bad.yaml", overrides);
        return reading.Errors;
    }

    [TestMethod]
    [DataRow("[5e-324]")]
    [DataRow("[1e308]")]
    [DataRow("{logspace: {from: 1.0e-320, to: 1, count: 3}}")]
    public void A_learning_rate_near_the_ends_of_the_doubles_is_an_error_at_its_place(string rates)
    {
        var errors = Errors(Some.SeedYaml.Replace("logspace: {from: 1.0e-6, to: 1, per_decade: 4}", rates, StringComparison.Ordinal));

        Assert.IsTrue(errors.Any(e => e.Key.StartsWith("learning_rates", StringComparison.Ordinal) && e.Message.Contains("between 1E-300 and 1E+300", StringComparison.Ordinal)),
            string.Join("\n", errors));
    }

    [TestMethod]
    public void The_reports_log_axis_has_at_most_the_decades_of_the_doubles_whatever_its_ends()
    {
        Assert.AreEqual(632, new LogAxis(0, double.PositiveInfinity, 0, 100).Decades().Count());
        Assert.AreEqual(3, new LogAxis(1e-3, 1, 0, 100).Decades().Count() - 1);
    }

    [TestMethod]
    public void Aliases_that_expand_past_a_million_nodes_are_an_error_at_once_in_a_file_and_in_an_override()
    {
        // A "billion laughs": nine levels of ten aliases each.
        var bomb = "{a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], "
            + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c], e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d], f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e], "
            + "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f], h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g], i: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]}";
        var clock = Stopwatch.StartNew();

        var inOverride = OverrideErrors(Some.SeedYaml, $"description={bomb}");
        var inFile = OverrideErrors(Some.SeedYaml + $"\nbombs: {bomb}\n");

        Assert.IsLessThan(2.0, clock.Elapsed.TotalSeconds);
        Assert.IsTrue(inOverride.Any(e => e.Message.Contains("expand to more than 1000000 nodes", StringComparison.Ordinal)), string.Join("\n", inOverride));
        Assert.IsTrue(inFile.Any(e => e.Message.Contains("expand to more than 1000000 nodes", StringComparison.Ordinal)), string.Join("\n", inFile));
    }

    [TestMethod]
    public void A_grid_of_more_runs_than_a_count_holds_saturates_and_says_so()
    {
        // 2 x 2 x 4 x (10^5)^4 runs: about 1.6e21, from axes of a hundred thousand values.
        var plan = Some.Config(Some.SeedYaml
            .Replace("logspace: {from: 1.0e-6, to: 1, per_decade: 4}", "{logspace: {from: 1.0e-6, to: 1, count: 100000}}", StringComparison.Ordinal)
            .Replace("w0: 1\n", "w0: {linspace: {from: 1, to: 2, count: 100000}}\nb0: {linspace: {from: 1, to: 2, count: 100000}}\nseeds: 100000\n", StringComparison.Ordinal));

        var grid = new SweepGrid(plan);

        Assert.AreEqual(long.MaxValue, grid.Count);
        StringAssert.Contains(Describe.Text(grid), "more than 9.22E+018 runs");
    }

    [TestMethod]
    [DataRow("run", "seed.yaml", "--out", "")]
    [DataRow("run", "")]
    [DataRow("report", "")]
    [DataRow("compare", "a", "")]
    public void An_empty_argument_is_a_usage_error_not_a_trace(params string[] args)
    {
        var error = Assert.ThrowsExactly<CliUsageException>(() => CliArgs.Parse(args));

        StringAssert.Contains(error.Message, "empty");
    }

    [TestMethod]
    [DataRow("a\\nb")]
    [DataRow("a\\0b")]
    [DataRow("a\\tb")]
    public void A_dataset_name_with_a_control_character_is_an_error(string name)
    {
        var errors = Errors(Some.SeedYaml.Replace("name: x1to10\n", $"name: \"{name}\"\n", StringComparison.Ordinal));

        Assert.IsTrue(errors.Any(e => e.Key == "datasets[1].name" && e.Message.Contains("control character", StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void A_line_end_in_a_table_cell_stays_in_its_row()
    {
        var table = new ReportTable(["name", "value"], [[Cell.Words("two\nlines"), Cell.Of(1)]], []);

        StringAssert.Contains(table.Markdown(), "| two lines | 1 |");
    }

    [TestMethod]
    public void The_protocols_numbers_are_checked_and_no_infinite_loss_converges()
    {
        string[] metrics = [];
        foreach (var (line, wants) in new[]
        {
            ("""{"step": 0, "loss": 1, "grad_norm": -1}""", "\"grad_norm\" must be a finite number >= 0, got -1"),
            ("""{"step": 0, "loss": 1, "grad_norm": Infinity}""", "\"grad_norm\" must be a finite number >= 0, got Infinity"),
            ("""{"step": 0, "loss": 1, "sharpness": Infinity}""", "\"sharpness\" must be a finite number, got Infinity"),
            ("""{"step": 0, "loss": 1, "sharpness": NaN}""", "\"sharpness\" must be a finite number, got NaN"),
        })
        {
            var error = Assert.ThrowsExactly<ProtocolException>(() => Protocol.Parse(line, metrics));
            StringAssert.Contains(error.Message, wants);
        }

        var curve = new ReportedCurve(10, 1e12, metrics);
        curve.Add(Protocol.Parse("""{"step": 0, "loss": 1}""", metrics));
        curve.Add(Protocol.Parse("""{"step": 1, "loss": -Infinity}""", metrics));
        Assert.AreEqual(1, curve.DivergedAt, "a loss of -Infinity is no convergence");
        Assert.IsNull(new CommandRecord { Log = "x", Sharpness0 = 0 }.Bound);
        Assert.IsNull(new CommandRecord { Log = "x", Sharpness0 = -2 }.Bound);
        Assert.AreEqual(1.0, new CommandRecord { Log = "x", Sharpness0 = 2 }.Bound);
    }

    [TestMethod]
    [DataRow("steps=&a [1, *a]")]
    [DataRow("params=&a [1, *a]")]
    [DataRow("datasets=&a {name: d, x: *a}")]
    public void An_alias_inside_the_node_it_names_is_an_error_in_a_file_and_in_an_override(string value)
    {
        var key = value[..value.IndexOf('=', StringComparison.Ordinal)];
        var inFile = Errors(Some.SeedYaml + $"\nrefine: true\nkernel: &k [1, *k]\n");
        var inOverride = OverrideErrors(Some.SeedYaml, value);

        StringAssert.Contains(string.Join("\n", inFile.Select(e => e.ToString())), "the alias *k stands inside the node &k it names");
        Assert.IsTrue(inOverride.Any(e => e.Key == key && e.Message.Contains("stands inside the node &a it names", StringComparison.Ordinal)),
            string.Join("\n", inOverride.Select(e => e.ToString())));
    }

    [TestMethod]
    public void Errors_stay_on_one_line_and_say_what_is_wrong_once()
    {
        var name = OverrideErrors(Some.SeedYaml, "name=\"a\\nb\"");
        var indexed = OverrideErrors(Some.SeedYaml, "datasets[0].name=x");
        var range = OverrideErrors(Some.SeedYaml, "learning_rates={logspace: {from: 5e-324, to: 1, per_decade: 1}}");

        Assert.IsTrue(name.All(e => !e.ToString().Contains('\n', StringComparison.Ordinal)), string.Join("|", name));
        StringAssert.Contains(name.Single().ToString(), "'a\\nb'");
        StringAssert.Contains(indexed.Single().Message, "cannot be set by its index: set datasets whole");
        Assert.HasCount(1, range, "a range past the limits is one error, at the range");
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void An_out_that_is_a_file_or_blank_is_refused_with_exit_2()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "seed.yaml"), Some.SeedYaml);
        File.WriteAllText(Path.Combine(work, "afile"), "mine");

        var file = CliProcess.Run(work, "run", "seed.yaml", "--out", "afile");
        var blank = CliProcess.Run(work, "run", "seed.yaml", "--out", " ");

        Assert.AreEqual(2, file.ExitCode, file.Stderr);
        StringAssert.Contains(file.Stderr, "afile is a file, not a folder");
        Assert.AreEqual("mine", File.ReadAllText(Path.Combine(work, "afile")));
        Assert.AreEqual(2, blank.ExitCode, blank.Stderr);
        Assert.IsFalse(Directory.Exists(Path.Combine(work, " ")));
    }

    [TestMethod]
    public void A_run_keeps_at_most_2_to_the_20_step_lines_and_says_so_past_them()
    {
        var curve = new ReportedCurve(int.MaxValue, 1e12, []);
        var none = new Dictionary<string, double?>();
        for (var step = 0; step < ReportedCurve.MaxStepLines; step++)
        {
            curve.Add(new ProtocolLine(step, 1.0, none));
        }

        var error = Assert.ThrowsExactly<ProtocolException>(() => curve.Add(new ProtocolLine(ReportedCurve.MaxStepLines, 1.0, none)));

        Assert.AreEqual(1 << 20, curve.Count);
        StringAssert.Contains(error.Message, "more than 1048576 step lines");
    }

    /// <summary>
    /// A program found through a relative entry of PATH (<c>bin</c>) is run by the absolute path it was found at: the
    /// command runs in the config's folder, where the same relative entry names another file.
    /// </summary>
    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_program_found_on_a_relative_path_entry_is_run_from_where_it_was_found()
    {
        var work = Some.TempDir();
        var config = Directory.CreateDirectory(Path.Combine(work, "cfg")).FullName;
        Executable(Path.Combine(work, "bin", "trainer"), """
            #!/bin/sh
            echo '{"step": 0, "loss": 1}'
            echo '{"step": 1, "loss": 0.5}'
            """);
        Executable(Path.Combine(config, "bin", "trainer"), """
            #!/bin/sh
            echo 'the other trainer' >&2
            exit 3
            """);
        File.WriteAllText(Path.Combine(config, "cmd.yaml"), """
            name: cmd
            datasets: [{name: d, x: [1, 2], y: [2, 4]}]
            transforms: [none]
            learning_rates: [0.1]
            steps: 1
            trainer:
              command: [trainer, "{learning_rate}"]
            """);
        var info = CliProcess.StartInfo(work, "run", "cfg/cmd.yaml", "--out", "results");
        info.Environment["PATH"] = "bin:" + Environment.GetEnvironmentVariable("PATH");

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.AreEqual(0, process.ExitCode, stderr.Result);
        Assert.DoesNotContain("the other trainer", stderr.Result);
    }

    private static void Executable(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_fifo_where_the_tool_reads_or_writes_is_refused_at_once()
    {
        var dir = Some.TempDir();
        var manifest = Path.Combine(dir, Manifest.FileName);
        Mkfifo(manifest);
        var clock = Stopwatch.StartNew();

        var read = Assert.ThrowsExactly<InvalidDataException>(() => Manifest.Read(manifest));
        var hidden = Path.Combine(dir, ResultFolder.HiddenFolder);
        Directory.CreateDirectory(hidden);
        Mkfifo(Path.Combine(hidden, "journal-main.jsonl"));
        var open = Assert.ThrowsExactly<IOException>(() => ResultFolder.Open(dir));

        Assert.IsLessThan(2.0, clock.Elapsed.TotalSeconds, "nothing waits for a writer or a reader");
        StringAssert.Contains(read.Message, "is a FIFO, not a file GdSweeps wrote");
        StringAssert.Contains(open.Message, "FIFO");
    }

    private static void Mkfifo(string path)
    {
        using var process = Process.Start("mkfifo", [path]);
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode);
    }
}
