using System.Diagnostics;
using GdSweeps.Configs;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Configs;

/// <summary>
/// Malformed and hostile YAML: every error located where it is, deep nesting refused before it can crash.
/// </summary>
[TestClass]
public sealed class YamlErrorTests
{
    private static IReadOnlyList<ConfigError> Errors(string yaml) =>
        Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Parse(yaml, "bad.yaml")).Errors;

    [TestMethod]
    [DataRow("name: a\n\tsteps: 3\n", 2L, 1L)]
    [DataRow("name: a\nsteps:\n\t- 3\n", 3L, 1L)]
    [DataRow("name: a\ndatasets:\n  - {name: d, x: [1, y: [2, 20]\ntransforms: none\n", 3L, 0L)]
    [DataRow("name: a\nsteps: [1, 2\n", 3L, 1L)]
    [DataRow("name: a\nsteps: 1\nsteps: 2\n", 3L, 1L)]
    public void A_syntax_error_is_located_at_its_line_and_column(string yaml, long line, long column)
    {
        var errors = Errors(yaml);

        Assert.HasCount(1, errors, string.Join("\n", errors));
        StringAssert.StartsWith(errors[0].Message, "malformed YAML");
        Assert.AreEqual(line, errors[0].Line, errors[0].ToString());
        if (column > 0)
        {
            Assert.AreEqual(column, errors[0].Column, errors[0].ToString());
        }
    }

    [TestMethod]
    [DataRow("name: deep\ndescription: ", "[", "]", "description[0][0]...", 2L, 14L + 63)]
    [DataRow("name: deep\ndescription: ", "{a: ", "}", "description.a.a...", 2L, 14L + (63 * 4))]
    [DataRow("", "- ", "", "[0][0][0]...", 1L, 1L + (64 * 2))]
    public void Nesting_deeper_than_64_levels_is_a_located_error_found_at_once(string start, string open, string close, string key, long line, long column)
    {
        SweepPlan.Parse(Some.SeedYaml, "warm.yaml"); // the first parse pays for compiling the parser
        var yaml = start + string.Concat(Enumerable.Repeat(open, 100_000)) + "1" + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";

        var clock = Stopwatch.StartNew();
        var errors = Errors(yaml);
        clock.Stop();

        Assert.AreEqual($"bad.yaml:{line}:{column}: {key}: nesting deeper than 64 levels", errors.Single().ToString());
        Assert.IsLessThan(TimeSpan.FromSeconds(0.5), clock.Elapsed);
    }

    [TestMethod]
    public void Nesting_within_the_limit_is_read_as_usual()
    {
        var yaml = Some.SeedYaml + "\ndescription: " + new string('[', 60) + new string(']', 60) + "\n";

        var errors = Errors(yaml);

        Assert.HasCount(1, errors);
        Assert.AreEqual("description", errors[0].Key);
        StringAssert.Contains(errors[0].Message, "expected a non-empty text value");
    }

    [TestMethod]
    public void A_config_that_cannot_be_read_is_an_error_about_the_file_without_a_position()
    {
        var path = Path.Combine(Some.TempDir(), "missing.yaml");

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Load(path));

        Assert.HasCount(1, e.Errors);
        Assert.AreEqual(0L, e.Errors[0].Line);
        StringAssert.StartsWith(e.Errors[0].ToString(), $"{path}: cannot read the config: ");
    }

    [TestMethod]
    public void A_config_over_16_MiB_is_an_error_without_reading_it_all()
    {
        var path = Path.Combine(Some.TempDir(), "huge.yaml");
        File.WriteAllText(path, Some.SeedYaml + "\n" + string.Concat(Enumerable.Repeat("# padding padding padding padding padding padding\n", 350_000)));

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Load(path));

        Assert.AreEqual($"{path}: the config is larger than 16 MiB; a config names its data, which goes in files", e.Errors.Single().ToString());
    }

    [TestMethod]
    public void A_device_as_the_config_ends_at_the_size_limit()
    {
        var clock = Stopwatch.StartNew();

        var e = Assert.ThrowsExactly<ConfigException>(() => SweepPlan.Load("/dev/zero"));

        StringAssert.Contains(e.Errors.Single().Message, "larger than 16 MiB");
        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed);
    }
}
