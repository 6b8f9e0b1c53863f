using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary><c>gdsweeps compare</c> and <c>gdsweeps schema</c> as a user runs them.</summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class CompareCommandTests
{
    [TestMethod]
    public void Compare_prints_what_moved_per_group_and_writes_the_table_into_the_second_folder()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        Assert.AreEqual(0, CliProcess.Run(work, "run", "study.yaml", "--out", "before", "--quiet").ExitCode);
        Assert.AreEqual(0, CliProcess.Run(work, "run", "study.yaml", "--set", "refine=true", "--out", "after", "--quiet").ExitCode);

        var result = CliProcess.Run(work, "compare", "before", "after");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "a: before (sweep seed); b: after (sweep seed)\n16 groups in both, 0 only in a, 0 only in b\n");
        StringAssert.Contains(result.Stdout, "| x1to10 / log1p / clip none | 0.3162 -> 0.3191 (x1.01) |");
        StringAssert.Contains(result.Stdout, "wrote after/compare-before.parquet");
        Assert.IsTrue(File.Exists(Path.Combine(work, "after", "compare-before.parquet")));
    }

    [TestMethod]
    public void Compare_or_report_of_a_folder_that_holds_no_sweep_or_none_at_all_is_bad_input_exit_2_saying_so()
    {
        var work = Some.TempDir();
        Directory.CreateDirectory(Path.Combine(work, "empty"));

        var result = CliProcess.Run(work, "compare", "empty", "empty");
        var missing = CliProcess.Run(work, "report", "missing");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "gdsweeps: compare: empty holds no manifest.json");
        Assert.AreEqual(2, missing.ExitCode);
        StringAssert.Contains(missing.Stderr, "gdsweeps: missing holds no manifest.json");
    }

    [TestMethod]
    public void Compare_needs_two_folders()
    {
        var result = CliProcess.Run(Some.TempDir(), "compare", "a");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "compare needs two results folders: gdsweeps compare DIR_A DIR_B");
    }

    [TestMethod]
    public void Schema_prints_the_schema_the_repository_ships()
    {
        var result = CliProcess.Run(Some.TempDir(), "schema");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.AreEqual(File.ReadAllText(Path.Combine(Some.RepoRoot, ConfigSchema.ShippedPath)), result.Stdout);
    }
}
