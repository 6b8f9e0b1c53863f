using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Configs;

/// <summary>
/// <c>--set key=value</c>: a YAML value set into the config before it is read, as if the file said it.
/// </summary>
[TestClass]
public sealed class ConfigOverrideTests
{
    private static SweepPlan Load(string yaml, params string[] overrides)
    {
        var path = Path.Combine(Some.TempDir(), "study.yaml");
        File.WriteAllText(path, yaml);
        return SweepPlan.Load(path, overrides);
    }

    private static List<string> Errors(string yaml, params string[] overrides)
    {
        try
        {
            Load(yaml, overrides);
        }
        catch (ConfigException e)
        {
            return [.. e.Errors.Select(x => x.ToString())];
        }

        Assert.Fail("the config was accepted");
        return [];
    }

    private static List<RunId> Ids(SweepPlan plan) => [.. Some.Runs(plan).Select(r => r.Id)];

    [TestMethod]
    public void Overridden_values_give_the_same_runs_and_ids_as_the_file_saying_them()
    {
        var written = Load(Some.SeedYaml.Replace("steps: 1000", "steps: 500", StringComparison.Ordinal).Replace("name: seed", "name: quick", StringComparison.Ordinal)
            .Replace("logspace: {from: 1.0e-6, to: 1, per_decade: 4}", "logspace: {from: 1e-4, to: 1, count: 9}", StringComparison.Ordinal));

        var overridden = Load(Some.SeedYaml, "steps=500", "learning_rates={logspace: {from: 1e-4, to: 1, count: 9}}", "name=quick");

        Assert.AreEqual("quick", overridden.Name);
        Assert.AreEqual(4 * 4 * 9, Some.Runs(overridden).Count);
        CollectionAssert.AreEqual(Ids(written), Ids(overridden));
    }

    [TestMethod]
    public void The_config_text_is_the_file_with_the_overrides_applied_and_names_them()
    {
        var plan = Load(Some.SeedYaml, "steps=500", "clip=none");

        var text = plan.Config.Text;

        StringAssert.Contains(text, "#   --set steps=500\n#   --set clip=none\n");
        StringAssert.Contains(text, "\nsteps: 500\n");
        Assert.DoesNotContain("steps: 1000", text);
        CollectionAssert.AreEqual(new[] { "steps=500", "clip=none" }, plan.Config.Overrides.ToArray());
        CollectionAssert.AreEqual(Ids(plan), Ids(SweepPlan.Parse(text, plan.Config.SourcePath)), "the recorded text reads back as the same sweep");
    }

    [TestMethod]
    public void Without_overrides_the_config_text_is_the_file_as_written()
    {
        var plan = Load("# a comment\n" + Some.SeedYaml);

        Assert.AreEqual("# a comment\n" + Some.SeedYaml, plan.Config.Text);
    }

    [TestMethod]
    public void A_dotted_key_sets_a_nested_key_and_turns_a_scalar_on_the_way_into_a_mapping()
    {
        Assert.AreEqual(0.05, Load(Some.SeedYaml, "refine.tolerance=0.05").Config.Refine);
        Assert.AreEqual(0.05, Load(Some.SeedYaml + "\nrefine: true\n", "refine.tolerance=0.05").Config.Refine);
        Assert.AreEqual(0.2, Load(Some.SeedYaml + "\nrefine: {tolerance: 0.01}\n", "refine.tolerance=0.2").Config.Refine);
        var rates = Load(Some.SeedYaml, "learning_rates.logspace.per_decade=1").Config.Get(SweepAxes.LearningRates);
        Assert.AreEqual(7, rates.Count);
    }

    [TestMethod]
    public void A_later_override_of_the_same_key_wins()
    {
        Assert.AreEqual(7, Load(Some.SeedYaml, "steps=5", "steps=7").Config.Get(SweepAxes.Steps)[0]);
    }

    [TestMethod]
    public void An_empty_value_is_no_value_as_in_the_file()
    {
        Assert.IsNull(Load(Some.SeedYaml, "clip=").Config.Get(SweepAxes.Clip)[0]);
    }

    [TestMethod]
    public void A_bad_value_is_reported_at_its_option_and_key_with_the_file_errors_at_their_lines()
    {
        var errors = Errors(Some.SeedYaml.Replace("w0: 1", "w0: one", StringComparison.Ordinal), "steps=0", "learning_rates={logspace: {from: 1e-4, to: 1}}", "stepz=3");

        CollectionAssert.Contains(errors, "--set steps: 0 is out of range; expected 1 to 100000000");
        CollectionAssert.Contains(errors, "--set learning_rates.logspace: give one of 'count' or 'per_decade'");
        Assert.IsTrue(errors.Any(e => e.StartsWith("--set stepz: unknown key; expected one of: name, description", StringComparison.Ordinal)), string.Join("\n", errors));
        Assert.IsTrue(errors.Any(e => e.Contains("study.yaml:10:5: w0: expected a number", StringComparison.Ordinal)), string.Join("\n", errors));
        Assert.HasCount(4, errors);
    }

    [TestMethod]
    public void A_transform_set_on_the_command_line_that_cannot_apply_is_reported_at_its_option()
    {
        var errors = Errors(Some.SeedYaml, "datasets=[{name: zero, x: [0, 1], y: [1, 2]}]", "transforms=log");

        CollectionAssert.AreEqual(new[] { "--set transforms: transform 'log' cannot apply to dataset 'zero': log needs every value > 0, found 0" }, errors);
    }

    [TestMethod]
    public void An_override_that_is_not_key_equals_value_or_not_yaml_or_inside_a_list_is_an_error()
    {
        var errors = Errors(Some.SeedYaml, "steps", "=3", "refine..tolerance=1", "w0={", "datasets.x=1");

        CollectionAssert.Contains(errors, "--set steps: expected KEY=VALUE (e.g. steps=500 or refine.tolerance=0.05), got 'steps'");
        CollectionAssert.Contains(errors, "--set : expected KEY=VALUE (e.g. steps=500 or refine.tolerance=0.05), got '=3'");
        CollectionAssert.Contains(errors, "--set refine..tolerance: expected KEY=VALUE (e.g. steps=500 or refine.tolerance=0.05), got 'refine..tolerance=1'");
        Assert.IsTrue(errors.Any(e => e.StartsWith("--set w0: malformed YAML", StringComparison.Ordinal)), string.Join("\n", errors));
        CollectionAssert.Contains(errors, "--set datasets.x: datasets is a list: set it whole, e.g. --set 'datasets=[...]'");
    }

    [TestMethod]
    public void A_yaml_tag_in_an_override_is_refused_as_in_the_file()
    {
        var errors = Errors(Some.SeedYaml, "steps=!!python/object 1");

        Assert.IsTrue(errors.Single().StartsWith("--set steps: YAML tag", StringComparison.Ordinal), errors.Single());
    }
}
