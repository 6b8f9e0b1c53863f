using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Configs;

/// <summary>
/// <c>trainer:</c> and <c>params:</c> are read and checked like every other key, before anything runs.
/// </summary>
[TestClass]
public sealed class TrainerConfigTests
{
    private const string Base = """
        name: cmd
        datasets: [{name: d, x: [1, 2, 3], y: [2, 4, 6]}]
        transforms: [none, standardize]
        learning_rates: [0.01, 0.1]
        steps: 50

        """;

    private static (string Folder, string Path) Folder()
    {
        var folder = Some.TempDir();
        File.WriteAllText(System.IO.Path.Combine(folder, "train.py"), "print('hi')\n");
        return (folder, System.IO.Path.Combine(folder, "cmd.yaml"));
    }

    private static SweepPlan Plan(string extra)
    {
        var (_, path) = Folder();
        return SweepPlan.Parse(Base + extra, path);
    }

    private static IReadOnlyList<ConfigError> Errors(string extra)
    {
        var (_, path) = Folder();
        return Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(Base + extra, path)).Errors;
    }

    private const string Trainer = """
        trainer:
          command: [/bin/sh, -c, "exit 0", "{learning_rate}", "--data={data}"]
          inputs: [train.py]

        """;

    [TestMethod]
    public void Each_parameter_becomes_an_axis_before_the_seeds_and_the_grid_multiplies_it()
    {
        var plan = Plan(Trainer + "params: {hidden: [16, 64], activation: [tanh, relu]}\n");

        var names = plan.Axes.All.Select(a => a.Name).ToList();
        Assert.AreEqual(names.IndexOf("seeds") - 2, names.IndexOf("hidden"));
        Assert.AreEqual(names.IndexOf("seeds") - 1, names.IndexOf("activation"));
        Assert.AreEqual(2L * 2 * 2 * 2, new SweepGrid(plan).Count);
        var runs = Some.Runs(plan);
        CollectionAssert.AreEqual(new[] { "16", "tanh" }, plan.Config.Parameters.Select(name => runs[0].Get<ParamValue>(name).Text).ToArray());
        Assert.AreEqual(16.0, runs[0].Get<ParamValue>("hidden").Number);
    }

    [TestMethod]
    [DataRow(".inf")]
    [DataRow("-.inf")]
    [DataRow("inf")]
    [DataRow(".nan")]
    [DataRow("NaN")]
    [DataRow("Infinity")]
    [DataRow("1e400")]
    public void A_parameter_that_is_a_number_but_not_finite_is_an_error_however_it_is_spelled(string value)
    {
        var errors = Errors(Trainer + $"params: {{mode: [ok, {value}]}}\n");

        Assert.IsTrue(errors.Any(e => e.Key == "params.mode[1]" && e.Message.Contains("is not a finite number", StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void A_quoted_non_finite_spelling_is_a_text()
    {
        var plan = Plan(Trainer + "params: {mode: ['inf', \".nan\"]}\n");

        CollectionAssert.AreEqual(new[] { "inf", ".nan" }, Some.Runs(plan).Select(r => r.Get<ParamValue>("mode").Text).Distinct().ToArray());
    }

    [TestMethod]
    public void Parameters_zip_and_exclude_by_name_and_compare_numbers_as_numbers()
    {
        var plan = Plan(Trainer + """
            params: {hidden: [16, 64], activation: [tanh, relu]}
            exclude: [{hidden: 64.0, activation: relu}]
            """);

        Assert.AreEqual(2L * 3 * 2, new SweepGrid(plan).Count);
    }

    [TestMethod]
    public void The_trainer_is_read_with_its_inputs_hashed_and_its_program_resolved()
    {
        var plan = Plan(Trainer + "  timeout: 90s\n  retries: 2\n  env: {OMP_NUM_THREADS: 2}\n  metrics: [accuracy]\n");

        var trainer = plan.Config.Trainer!;
        Assert.AreEqual("/bin/sh", trainer.Program);
        Assert.AreEqual(TimeSpan.FromSeconds(90), trainer.Timeout);
        Assert.AreEqual(2, trainer.Retries);
        Assert.AreEqual("train.py", trainer.Inputs[0].Given);
        Assert.AreEqual(64, trainer.Inputs[0].Sha256.Length);
        Assert.AreEqual("OMP_NUM_THREADS", trainer.Environment[0].Key);
        CollectionAssert.AreEqual(new[] { "accuracy" }, trainer.Metrics.ToArray());
    }

    [TestMethod]
    [DataRow("trainer: {command: []}\n", "trainer.command", "the command is empty")]
    [DataRow("trainer: {command: /bin/true}\n", "trainer.command", "expected the command as a list")]
    [DataRow("trainer: {command: [/bin/true], timeout: 0s}\n", "trainer.timeout", "'0s' is no time at all")]
    [DataRow("trainer: {command: [/bin/true], timeout: -1}\n", "trainer.timeout", "'-1' is not a duration")]
    [DataRow("trainer: {command: [/bin/true], timeout: soon}\n", "trainer.timeout", "'soon' is not a duration")]
    public void A_command_or_timeout_that_cannot_be_is_an_error_that_says_why(string yaml, string key, string message)
    {
        var errors = Errors(yaml);

        Assert.IsTrue(errors.Any(e => e.Key == key && e.Message.Contains(message, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void A_missing_program_or_script_or_input_is_an_error_at_its_place()
    {
        var errors = Errors("""
            trainer:
              command: [no-such-python3, missing.py, "{learning_rate}"]
              inputs: [train.py, gone.py]
            """);

        Assert.IsTrue(errors.Any(e => e.Key == "trainer.command[1]" && e.Message.Contains("script 'missing.py' does not exist", StringComparison.Ordinal) && e.Line == 7), string.Join("\n", errors));
        Assert.IsTrue(errors.Any(e => e.Key == "trainer.inputs[1]" && e.Message.Contains("input 'gone.py' does not exist", StringComparison.Ordinal) && e.Line == 8), string.Join("\n", errors));

        var program = Errors("trainer: {command: [no-such-python3, train.py]}\n");
        Assert.IsTrue(program.Any(e => e.Key == "trainer.command[0]" && e.Message.Contains("'no-such-python3' is not on PATH", StringComparison.Ordinal)), string.Join("\n", program));
    }

    [TestMethod]
    public void A_nul_character_in_an_argument_an_input_a_variable_or_a_parameter_is_an_error_not_a_crash()
    {
        var errors = Errors("""
            trainer:
              command: [/bin/sh, "a\0b"]
              inputs: ["train.py\0"]
              env: {X: "1\02"}
            params: {note: ["x\0y"]}
            """);

        Assert.HasCount(4, errors.Where(e => e.Message.Contains("NUL character", StringComparison.Ordinal)).ToList(), string.Join("\n", errors));
    }

    [TestMethod]
    public void An_unknown_or_broken_placeholder_is_an_error()
    {
        var errors = Errors("trainer: {command: [/bin/sh, \"{lr}\", \"{data\", \"x}\"]}\n");

        Assert.IsTrue(errors.Any(e => e.Message.StartsWith("unknown placeholder {lr}", StringComparison.Ordinal)), string.Join("\n", errors));
        Assert.IsTrue(errors.Any(e => e.Message.Contains("is not closed", StringComparison.Ordinal)), string.Join("\n", errors));
        Assert.IsTrue(errors.Any(e => e.Message.Contains("without its '{'", StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    [DataRow("model: affine\n", "model")]
    [DataRow("optimizer: adam\n", "optimizer")]
    [DataRow("w0: 2\n", "w0")]
    [DataRow("kernel: per-sample\n", "kernel")]
    public void A_key_of_the_built_in_models_beside_a_command_trainer_is_an_error(string line, string key)
    {
        var errors = Errors(Trainer + line);

        Assert.IsTrue(errors.Any(e => e.Key == key && e.Message.Contains("applies to the built-in models only", StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void Parameters_without_a_trainer_and_parameters_that_shadow_a_name_are_errors()
    {
        Assert.IsTrue(Errors("params: {hidden: 16}\n").Any(e => e.Key == "params" && e.Message.Contains("need a trainer", StringComparison.Ordinal)));
        Assert.IsTrue(Errors(Trainer + "params: {seed: 1}\n").Any(e => e.Key == "params.seed" && e.Message.Contains("a name GdSweeps uses", StringComparison.Ordinal)));
        Assert.IsTrue(Errors(Trainer + "params: {Hidden: 1}\n").Any(e => e.Key == "params.Hidden"));
        Assert.IsTrue(Errors(Trainer + "params: {hidden: [16, 16.0]}\n").Any(e => e.Message.Contains("listed twice", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_change_to_an_input_changes_every_run_id_and_nothing_else_does_for_the_builtin_models()
    {
        var (folder, path) = Folder();
        var before = Some.Runs(SweepPlan.Parse(Base + Trainer, path)).Select(r => r.Id).ToList();
        File.AppendAllText(System.IO.Path.Combine(folder, "train.py"), "# changed\n");
        var after = Some.Runs(SweepPlan.Parse(Base + Trainer, path)).Select(r => r.Id).ToList();

        Assert.IsFalse(before.Intersect(after).Any());
        Assert.AreEqual(Some.Runs(Some.Config()).First().Id, Some.Runs(Some.Config()).First().Id);
    }
}
