using System.Diagnostics;
using System.Text.Json;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary>
/// <c>gdsweeps run/validate CONFIG --set key=value</c> as a user runs it, and <c>make sweep SET=...</c>.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class SetOptionTests
{
    [TestMethod]
    public async Task Run_with_set_stores_the_runs_the_file_would_with_those_values_and_records_the_effective_config()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        File.WriteAllText(Path.Combine(work, "written.yaml"), Some.SeedYaml
            .Replace("steps: 1000", "steps: 50", StringComparison.Ordinal).Replace("clip: [none, 1, 10, 100]", "clip: [none, 10]", StringComparison.Ordinal));

        var set = CliProcess.Run(work, "run", "study.yaml", "--set", "steps=50", "--set", "clip=[none, 10]", "--set", "name=quick", "--quiet");
        var written = CliProcess.Run(work, "run", "written.yaml", "--out", "written", "--quiet");

        Assert.AreEqual(0, set.ExitCode, set.Stderr);
        Assert.AreEqual(0, written.ExitCode, written.Stderr);
        var runs = await Stored.RunsAsync(Path.Combine(work, "results", "quick"));
        Assert.HasCount(2 * 2 * 2 * 25, runs);
        CollectionAssert.AreEqual((await Stored.RunsAsync(Path.Combine(work, "written"))).Select(r => r.RunId).ToList(), runs.Select(r => r.RunId).ToList());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "results", "quick", "manifest.json")));
        var text = manifest.RootElement.GetProperty("config_text").GetString()!;
        StringAssert.Contains(text, "#   --set steps=50\n#   --set clip=[none, 10]\n#   --set name=quick\n");
        StringAssert.Contains(text, "\nsteps: 50\n");
        Assert.AreEqual("complete", manifest.RootElement.GetProperty("state").GetString());
        CollectionAssert.AreEqual(new[] { "steps=50", "clip=[none, 10]", "name=quick" },
            manifest.RootElement.GetProperty("overrides").EnumerateArray().Select(o => o.GetString()).ToArray());
    }

    [TestMethod]
    public void Rerunning_with_the_same_set_computes_nothing_and_without_it_reruns_what_changed()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        Assert.AreEqual(0, CliProcess.Run(work, "run", "study.yaml", "--set", "steps=50", "--out", "r").ExitCode);

        var again = CliProcess.Run(work, "run", "study.yaml", "--set", "steps=50", "--out", "r");
        var other = CliProcess.Run(work, "run", "study.yaml", "--set", "steps=60", "--out", "r");

        StringAssert.Contains(again.Stderr, " s: 0 computed");
        StringAssert.Contains(other.Stderr, " s: 400 computed");
    }

    [TestMethod]
    public void Validate_with_a_bad_set_exits_2_naming_the_option_and_key()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);

        var result = CliProcess.Run(work, "validate", "study.yaml", "--set", "steps=0", "--set", "optimizer=adamw");

        Assert.AreEqual(2, result.ExitCode);
        StringAssert.Contains(result.Stderr, "error: --set steps: 0 is out of range; expected 1 to 100000000");
        StringAssert.Contains(result.Stderr, "error: --set optimizer: unknown value 'adamw'; expected one of: gd, sgd");
    }

    [TestMethod]
    public void Validate_with_set_lists_the_overrides_and_the_axes_they_make()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);

        var result = CliProcess.Run(work, "validate", "study.yaml", "--set", "learning_rates={logspace: {from: 1e-4, to: 1, count: 9}}");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stdout, "sweep seed: 144 runs\n  --set learning_rates={logspace: {from: 1e-4, to: 1, count: 9}}\n");
        StringAssert.Contains(result.Stdout, "learning_rates (9): 0.0001,");
    }

    [TestMethod]
    public void Make_sweep_passes_set_words_and_args_through_to_the_command()
    {
        var make = new ProcessStartInfo("make", ["-n", "sweep", "SET=steps=500 name=quick", "ARGS=--set 'clip=[none, 1]'"])
        {
            WorkingDirectory = Some.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(make)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        StringAssert.Contains(output, "gdsweeps run configs/seed.yaml --set 'steps=500' --set 'name=quick' --set 'clip=[none, 1]'");
    }
}
