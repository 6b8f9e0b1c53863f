using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Tests.Support;
using GdSweeps.Numerics;
using GdSweeps.Transforms;

namespace GdSweeps.Tests.Configs;

[TestClass]
public sealed class ConfigLoaderTests
{
    private static IReadOnlyList<ConfigError> Errors(string yaml) =>
        Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(yaml, "bad.yaml")).Errors;

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Some.SeedYaml);
        return Some.SeedYaml.Replace(from, to, StringComparison.Ordinal);
    }

    [TestMethod]
    public void The_seed_config_resolves_every_axis()
    {
        var config = Some.Config();

        Assert.AreEqual("seed", config.Name);
        Assert.HasCount(2, config.Datasets);
        CollectionAssert.AreEqual(new[] { "none", "log1p" }, config.Transforms.Select(t => t.Label).ToArray());
        Assert.HasCount(25, config.LearningRates);
        Assert.AreEqual(1e-6, config.LearningRates[0]);
        Assert.AreEqual(1.0, config.LearningRates[^1]);
        CollectionAssert.AreEqual(new double?[] { null, 1, 10, 100 }, config.Clips.Select(c => c?.Threshold).ToArray());
        Assert.AreEqual(400, new SweepGrid(config).Count);
        Assert.HasCount(4, config.Problems.ToList());
    }

    [TestMethod]
    public void Every_config_in_the_configs_folder_loads()
    {
        var files = Directory.GetFiles(Path.Combine(Some.RepoRoot, "configs"), "*.yaml");

        Assert.IsNotEmpty(files);
        foreach (var file in files)
        {
            Assert.IsGreaterThan(0L, new SweepGrid(SweepPlan.Load(file)).Count, file);
        }
    }

    [TestMethod]
    public void The_name_defaults_to_the_file_name()
    {
        var config = SweepPlan.Parse(Replace("name: seed\n", ""), "/some/where/my-study.yaml");

        Assert.AreEqual("my-study", config.Name);
    }

    [TestMethod]
    public void A_generated_target_is_a_times_x_plus_b()
    {
        var config = Some.Config(Replace("y: [2, 200]", "y: {a: 3, b: 1}"));

        CollectionAssert.AreEqual(new[] { 4.0, 301.0 }, config.Datasets[0].Y);
    }

    [TestMethod]
    public void Logspace_by_count_matches_numpy()
    {
        var values = Ranges.Logspace(1e-6, 10, 29);

        Assert.HasCount(29, values);
        Assert.AreEqual(1e-6, values[0]);
        Assert.AreEqual(10.0, values[^1]);
        Assert.AreEqual(Math.Pow(10, -6 + (4 * 0.25)), values[4], 1e-20);
    }

    [TestMethod]
    public void Errors_name_file_line_column_and_key_and_all_are_reported_at_once()
    {
        var yaml = Replace("steps: 1000", "steps: -5\ncolour: blue")
            .Replace("transforms: [none, log1p]", "transforms: [none, logg]", StringComparison.Ordinal);

        var errors = Errors(yaml);

        Assert.HasCount(3, errors);
        var text = string.Join("\n", errors);
        StringAssert.Contains(text, "bad.yaml:15:1: colour: unknown key");
        StringAssert.Contains(text, "bad.yaml:9:20: transforms[1]: unknown transform 'logg'");
        StringAssert.Contains(text, "bad.yaml:14:8: steps: -5 is out of range");
    }

    [TestMethod]
    [DataRow("learning_rates: [0.1, 0]", "learning_rates[1]", "must be > 0")]
    [DataRow("learning_rates: [0.1, -1]", "learning_rates[1]", "must be > 0")]
    [DataRow("learning_rates: [0.1, .nan]", "learning_rates[1]", "not a finite number")]
    [DataRow("learning_rates: [0.1, .inf]", "learning_rates[1]", "not a finite number")]
    [DataRow("learning_rates: []", "learning_rates", "empty list")]
    [DataRow("learning_rates: fast", "learning_rates", "expected a number")]
    [DataRow("learning_rates: {logspace: {from: 0, to: 1, count: 3}}", "learning_rates.logspace", "from > 0")]
    public void Bad_learning_rates_are_errors(string line, string key, string message)
    {
        var errors = Errors(Replace("learning_rates:\n  logspace: {from: 1.0e-6, to: 1, per_decade: 4}", line));

        Assert.IsTrue(errors.Any(e => e.Key == key && e.Message.Contains(message, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    [DataRow("clip: [none, 0]", "clip[1]", "must be > 0")]
    [DataRow("steps: 1.5", "steps", "expected an integer")]
    [DataRow("optimizer: sgdd", "optimizer", "unknown value 'sgdd'")]
    [DataRow("optimizer: {adam: {beta1: 1.5}}", "optimizer.adam.beta1", "must be in [0, 1)")]
    [DataRow("optimizer: {adam: {gamma: 1}}", "optimizer.adam.gamma", "unknown key")]
    [DataRow("loss: {huber: {delta: -1}}", "loss.huber.delta", "must be > 0")]
    [DataRow("tolerance: 0", "tolerance", "must be > 0")]
    [DataRow("tolerance: 1.0e-300", "tolerance", "must be at least 1E-150")]
    [DataRow("tolerance: 1.0e-151", "tolerance", "must be at least 1E-150")]
    [DataRow("model: quadratic", "model", "unknown value 'quadratic'")]
    [DataRow("seeds: 0", "seeds", "out of range")]
    [DataRow("zip: [[learning_rates, clip]]", "zip[0]", "same number of values")]
    [DataRow("zip: [[learning_rates, colour]]", "zip[0]", "unknown axis 'colour'")]
    [DataRow("exclude: [{clip: 7}]", "exclude[0].clip", "'7' is not a value of the clip axis")]
    [DataRow("schedule: {step: {every: 10}}", "schedule.step.gamma", "required key is missing")]
    [DataRow("name: ../../x", "name", "cannot be a folder name")]
    [DataRow("name: /etc", "name", "cannot be a folder name")]
    [DataRow("name: .hidden", "name", "cannot be a folder name")]
    public void Bad_values_are_errors_at_their_key(string line, string key, string message)
    {
        var yaml = Some.SeedYaml + "\n" + line;
        if (line.StartsWith("name:", StringComparison.Ordinal) || line.StartsWith("clip:", StringComparison.Ordinal) || line.StartsWith("steps:", StringComparison.Ordinal))
        {
            var prefix = line[..(line.IndexOf(':', StringComparison.Ordinal) + 1)];
            yaml = string.Join("\n", Some.SeedYaml.Split('\n').Select(l => l.StartsWith(prefix, StringComparison.Ordinal) ? line : l));
        }

        var errors = Errors(yaml);

        Assert.IsTrue(errors.Any(e => e.Key == key && e.Message.Contains(message, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void An_empty_file_is_an_error()
    {
        StringAssert.Contains(Errors("")[0].Message, "empty");
        StringAssert.Contains(Errors("# only a comment\n")[0].Message, "empty");
    }

    [TestMethod]
    public void Malformed_yaml_is_an_error_with_its_line()
    {
        var errors = Errors("name: seed\ndatasets: [\n  {x: [1, 2}\n");

        Assert.HasCount(1, errors);
        StringAssert.Contains(errors[0].Message, "malformed YAML");
        Assert.IsGreaterThan(1L, errors[0].Line);
    }

    [TestMethod]
    public void A_duplicate_key_is_an_error()
    {
        StringAssert.Contains(Errors(Some.SeedYaml + "\nsteps: 10\n")[0].Message, "malformed YAML");
    }

    [TestMethod]
    public void A_type_tag_is_rejected()
    {
        var errors = Errors(Replace("steps: 1000", "steps: !!python/object:os.system 1000"));

        StringAssert.Contains(errors[0].Message, "not allowed");
    }

    [TestMethod]
    public void A_transform_that_cannot_apply_names_the_dataset_and_transform()
    {
        var errors = Errors(Replace("x: [1, 10]", "x: [-1, 10]"));

        Assert.HasCount(1, errors);
        Assert.AreEqual("transforms[1]", errors[0].Key);
        StringAssert.Contains(errors[0].Message, "transform 'log1p' cannot apply to dataset 'x1to10'");
    }

    [TestMethod]
    public void Missing_keys_are_errors()
    {
        var errors = Errors("name: x\ntransforms: none\n");

        CollectionAssert.IsSubsetOf(new[] { "datasets", "learning_rates" }, errors.Select(e => e.Key).ToArray());
    }

    [TestMethod]
    public void Mismatched_x_and_y_lengths_are_an_error()
    {
        var errors = Errors(Replace("y: [2, 200]", "y: [2, 200, 3]"));

        StringAssert.Contains(errors[0].Message, "has 3 values but x has 2");
        Assert.AreEqual("datasets[0].y", errors[0].Key);
    }

    [TestMethod]
    public void A_transform_that_cannot_apply_is_reported_with_the_other_errors()
    {
        var yaml = Replace("steps: 1000", "steps: 100.5")
            .Replace("x: [1, 10]", "x: [0, 10]", StringComparison.Ordinal)
            .Replace("transforms: [none, log1p]", "transforms: [none, log]", StringComparison.Ordinal);

        var errors = Errors(yaml);

        Assert.HasCount(2, errors, string.Join("\n", errors));
        Assert.AreEqual("steps", errors[0].Key);
        StringAssert.Contains(errors[0].Message, "expected an integer");
        Assert.AreEqual("transforms[1]", errors[1].Key);
        StringAssert.Contains(errors[1].Message, "transform 'log' cannot apply to dataset 'x1to10'");
    }

    [TestMethod]
    public void Problems_are_not_fitted_when_the_datasets_have_errors()
    {
        var yaml = Replace("y: [2, 20]", "y: [2, 20, 5]")
            .Replace("x: [1, 100]", "x: [0, 100]", StringComparison.Ordinal)
            .Replace("transforms: [none, log1p]", "transforms: [none, log]", StringComparison.Ordinal);

        var errors = Errors(yaml);

        Assert.AreEqual("datasets[1].y", errors.Single().Key);
    }
}
