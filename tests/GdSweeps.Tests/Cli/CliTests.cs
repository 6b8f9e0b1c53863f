using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary>The command as a user runs it: exit codes, messages and where files land.</summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class CliTests
{
    [TestMethod]
    public void Help_prints_usage_and_exits_0()
    {
        var result = CliProcess.Run(Some.TempDir(), "--help");

        Assert.AreEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "gdsweeps run CONFIG");
    }

    [TestMethod]
    public void Run_writes_results_under_results_slash_name_and_exits_0()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);

        var result = CliProcess.Run(work, "run", "study.yaml", "--threads", "2");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        foreach (var file in new[] { "runs/part-000000.parquet", "curves/part-000000.parquet", "report.md", "gdsweeps.log" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(work, "results", "seed", file)), file);
        }

        StringAssert.Contains(File.ReadAllText(Path.Combine(work, "results", "seed", "report.md")), "-10001");
        Assert.IsEmpty(Directory.GetFiles(Path.Combine(work, "results", "seed"), "*.tmp-*"));
    }

    [TestMethod]
    public void Out_puts_the_files_in_the_given_folder_itself()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);

        var result = CliProcess.Run(work, "run", "study.yaml", "--out", "elsewhere");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.IsTrue(File.Exists(Path.Combine(work, "elsewhere", "runs", "part-000000.parquet")));
    }

    [TestMethod]
    public void A_bad_config_exits_2_naming_file_line_and_key_and_writes_nothing()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "bad.yaml"), Some.SeedYaml.Replace("steps: 1000", "steps: lots", StringComparison.Ordinal));

        var result = CliProcess.Run(work, "run", "bad.yaml");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "bad.yaml:14:8: steps: expected an integer");
        Assert.IsFalse(Directory.Exists(Path.Combine(work, "results")));
    }

    [TestMethod]
    public void A_missing_config_exits_2()
    {
        var result = CliProcess.Run(Some.TempDir(), "run", "nope.yaml");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "nope.yaml");
    }

    [TestMethod]
    public void An_unknown_option_exits_2()
    {
        var result = CliProcess.Run(Some.TempDir(), "run", "x.yaml", "--fast");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "unknown option '--fast'");
    }

    [TestMethod]
    public void Validate_prints_the_axes_and_run_count()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);

        var result = CliProcess.Run(work, "validate", "study.yaml");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "sweep seed: 400 runs");
        Assert.IsFalse(Directory.Exists(Path.Combine(work, "results")));
    }
}

[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class CliPlanningTests
{
    [TestMethod]
    public void Dry_run_lists_the_first_runs_and_writes_nothing()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);

        var result = CliProcess.Run(work, "run", "study.yaml", "--dry-run");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "first 20 runs:");
        StringAssert.Contains(result.Stdout, "x1to100 none linear mse w0=1 b0=0 gd constant steps=1000 clip=none seeds=0 lr=1E-06");
        Assert.IsFalse(Directory.Exists(Path.Combine(work, "results")));
    }

    [TestMethod]
    public void Validate_warns_when_the_learning_rates_do_not_bracket_lr_crit()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml.Replace("from: 1.0e-6, to: 1", "from: 1.0e-6, to: 1.0e-5", StringComparison.Ordinal));

        var result = CliProcess.Run(work, "validate", "study.yaml");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "warning: learning rates 1E-06 to 1E-05 do not bracket lr_crit = 0.0002 of dataset 'x1to100' under 'none'");
    }

    [TestMethod]
    public void A_sweep_over_max_runs_asks_for_yes()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml + "\nmax_runs: 100\n");

        var refused = CliProcess.Run(work, "run", "study.yaml");
        var accepted = CliProcess.Run(work, "run", "study.yaml", "--yes", "--quiet");

        Assert.AreEqual(2, refused.ExitCode);
        StringAssert.Contains(refused.Stderr, "400 runs, more than max_runs = 100; run again with --yes");
        Assert.AreEqual(0, accepted.ExitCode, accepted.Stderr);
    }
}
