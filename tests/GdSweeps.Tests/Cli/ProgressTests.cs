using System.Globalization;
using System.Text.RegularExpressions;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary>
/// The progress of a sweep, phase by phase, as the command reports it (GDSWEEPS_PROGRESS_LOG=1 prints every update).
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed partial class ProgressTests
{
    [TestMethod]
    public void Every_phase_reports_its_progress_from_zero_to_its_total_with_an_estimate()
    {
        var folder = Some.TempDir();
        var info = CliProcess.StartInfo(Some.RepoRoot, "run", "configs/seed.yaml", "--out", folder, "--set", "refine=true");
        info.Environment["GDSWEEPS_PROGRESS_LOG"] = "1";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromMinutes(2)), "the sweep did not finish in 2 minutes");
        Assert.AreEqual(0, process.ExitCode, stderr.Result);

        var updates = Update().Matches(stderr.Result).Select(m => (
            Phase: m.Groups[1].Value, Done: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Total: long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
            Elapsed: double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), Left: double.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture))).ToList();
        var phases = updates.Select(u => u.Phase).Distinct().ToList();

        // The grid's runs, then each round of refinement, then the analysis, then the reports, each once and in that order.
        Assert.AreEqual("runs", phases[0], string.Join(", ", phases));
        Assert.IsTrue(phases.Skip(1).TakeWhile(p => p.StartsWith("refinement-", StringComparison.Ordinal)).SequenceEqual(
            Enumerable.Range(1, phases.Count - 3).Select(i => $"refinement-{i}")), string.Join(", ", phases));
        Assert.IsGreaterThanOrEqualTo(4, phases.Count, "refine: true on the seed takes at least one round");
        CollectionAssert.AreEqual(new[] { "analysis", "reports" }, phases.TakeLast(2).ToArray());
        var manifest = File.ReadAllText(Path.Combine(folder, "manifest.json"));
        var runs = long.Parse(Regex.Match(manifest, "\"runs\":\\s*(\\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        foreach (var phase in phases)
        {
            var mine = updates.Where(u => u.Phase == phase).ToList();
            Assert.AreEqual(0, mine[0].Done, $"{phase} starts at 0");
            Assert.AreEqual(mine[^1].Total, mine[^1].Done, $"{phase} ends at its total");
            Assert.IsTrue(mine.Zip(mine.Skip(1)).All(p => p.Second.Done >= p.First.Done && p.Second.Elapsed >= p.First.Elapsed), $"{phase} never goes back");
            Assert.IsTrue(mine.Where(u => u.Done > 0).All(u => u.Left >= 0 && u.Left <= ((u.Elapsed + 5e-4) * (u.Total - u.Done) / u.Done) + 1e-3), $"{phase}: the estimate is the pace so far");
        }

        // The runs of every phase of runs add up to the sweep's.
        Assert.AreEqual(runs, phases.Where(p => p == "runs" || p.StartsWith("refinement-", StringComparison.Ordinal)).Sum(p => updates.Last(u => u.Phase == p).Total));
        Assert.AreEqual(5, updates.Last(u => u.Phase == "reports").Total);
    }

    [GeneratedRegex(@"^progress (\S+) (\d+) (\d+) ([\d.]+) (-?[\d.]+)$", RegexOptions.Multiline)]
    private static partial Regex Update();
}
