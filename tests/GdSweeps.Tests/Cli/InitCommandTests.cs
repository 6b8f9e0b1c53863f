using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary><c>gdsweeps init</c> as a newcomer runs it: the file it writes validates and runs as written.</summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class InitCommandTests
{
    [TestMethod]
    public void Init_writes_study_yaml_that_validates_and_runs_as_written()
    {
        var work = Some.TempDir();

        var init = CliProcess.Run(work, "init");
        var validate = CliProcess.Run(work, "validate", "study.yaml");
        var run = CliProcess.Run(work, "run", "study.yaml", "--quiet");

        Assert.AreEqual(0, init.ExitCode, init.Stderr);
        StringAssert.Contains(init.Stdout, "wrote study.yaml; check it with: gdsweeps validate study.yaml");
        Assert.AreEqual(0, validate.ExitCode, validate.Stderr);
        Assert.DoesNotContain("warning", validate.Stdout);
        Assert.AreEqual(0, run.ExitCode, run.Stderr);
        Assert.IsTrue(File.Exists(Path.Combine(work, "results", "study", "report.html")));
    }

    [TestMethod]
    public void Init_with_a_csv_writes_its_columns_and_the_sweep_runs_on_them()
    {
        var work = Some.TempDir();
        Directory.CreateDirectory(Path.Combine(work, "data"));
        File.Copy(Path.Combine(Some.RepoRoot, "configs", "data", "houses.csv"), Path.Combine(work, "data", "houses.csv"));

        var init = CliProcess.Run(work, "init", "houses", "--csv", "data/houses.csv", "--x", "area,rooms", "--x", "age", "--y", "price");
        var run = CliProcess.Run(work, "run", "houses.yaml", "--quiet");

        Assert.AreEqual(0, init.ExitCode, init.Stderr);
        var text = File.ReadAllText(Path.Combine(work, "houses.yaml"));
        StringAssert.Contains(text, "    csv: data/houses.csv ");
        StringAssert.Contains(text, "    x: [area, rooms, age] ");
        Assert.AreEqual(0, run.ExitCode, run.Stderr);
        StringAssert.Contains(File.ReadAllText(Path.Combine(work, "results", "houses", "report.md")), "## Dataset `houses` (n = 56, 3 features)");
    }

    [TestMethod]
    public void Init_refuses_to_overwrite_a_file_and_exits_2()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), "mine");

        var init = CliProcess.Run(work, "init");

        Assert.AreEqual(2, init.ExitCode);
        StringAssert.Contains(init.Stderr, "gdsweeps: init: study.yaml already exists; init never overwrites a file");
        Assert.AreEqual("mine", File.ReadAllText(Path.Combine(work, "study.yaml")));
    }

    [TestMethod]
    public void Init_with_a_column_not_in_the_csv_exits_2_naming_the_header()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "d.csv"), "a,b\n1,2\n2,4\n");

        var init = CliProcess.Run(work, "init", "--csv", "d.csv", "--x", "c", "--y", "b");

        Assert.AreEqual(2, init.ExitCode);
        StringAssert.Contains(init.Stderr, "d.csv:1:1: c: no column 'c'; the header has: a, b");
        Assert.IsFalse(File.Exists(Path.Combine(work, "study.yaml")));
    }

    [TestMethod]
    public void Init_with_a_csv_but_no_columns_is_a_usage_error()
    {
        var init = CliProcess.Run(Some.TempDir(), "init", "--csv", "d.csv");

        Assert.AreEqual(2, init.ExitCode);
        StringAssert.Contains(init.Stderr, "init takes --csv FILE with --x COLUMN (one or more) and --y COLUMN, or none of them");
    }
}
