using GdSweeps.Configs;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

[TestClass]
public sealed class SecurityTests
{
    [TestMethod]
    [DataRow("../../x")]
    [DataRow("/etc/passwd")]
    [DataRow("a/b")]
    [DataRow("a\\\\b")]
    [DataRow("..")]
    [DataRow("\"tab\\there\"")]
    public void A_sweep_name_that_could_escape_the_results_folder_is_an_error(string name)
    {
        var yaml = Some.SeedYaml.Replace("name: seed", $"name: {name}", StringComparison.Ordinal);

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(yaml, "evil.yaml"));

        Assert.AreEqual("name", e.Errors[0].Key);
        StringAssert.Contains(e.Errors[0].Message, "cannot be a folder name");
    }

    [TestMethod]
    public void A_config_file_whose_name_is_not_safe_needs_an_explicit_name()
    {
        var yaml = Some.SeedYaml.Replace("name: seed\n", "", StringComparison.Ordinal);

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(yaml, "/tmp/my study;rm -rf.yaml"));

        StringAssert.Contains(e.Errors[0].Message, "not a safe sweep name");
    }

    [TestMethod]
    [DataRow("!!python/object/apply:os.system [\"ls\"]")]
    [DataRow("!<tag:yaml.org,2002:python/object> {}")]
    [DataRow("!System.Diagnostics.Process {}")]
    public void Yaml_tags_that_would_construct_types_are_rejected(string value)
    {
        var yaml = Some.SeedYaml.Replace("steps: 1000", $"steps: {value}", StringComparison.Ordinal);

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(yaml, "evil.yaml"));

        StringAssert.Contains(e.Errors[0].Message, "is not allowed; a config holds plain data only");
    }

    [TestMethod]
    public void Shell_metacharacters_in_values_are_plain_data()
    {
        var yaml = Some.SeedYaml.Replace("name: x1to10\n", "name: \"$(touch /tmp/gdsweeps-pwned); `id`\"\n", StringComparison.Ordinal);

        var config = SweepPlan.Parse(yaml, "data.yaml");

        Assert.AreEqual("$(touch /tmp/gdsweeps-pwned); `id`", config.Datasets[1].Name);
        Assert.IsFalse(File.Exists("/tmp/gdsweeps-pwned"));
    }
}
