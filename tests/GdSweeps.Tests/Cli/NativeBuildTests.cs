using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary>
/// The binary `make sweep` runs (native code, compiled ahead of time) writes the same bytes as the JIT-compiled
/// library.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class NativeBuildTests
{
    private static string Binary => Path.Combine(Some.RepoRoot, ".build", "cli", "gdsweeps");

    [TestMethod]
    public async Task The_built_command_writes_the_same_results_as_the_library()
    {
        Assert.IsTrue(File.Exists(Binary), $"{Binary} is missing: run `make build` (make test builds it before the suite)");

        var work = Some.TempDir();
        var yaml = Some.SeedYaml + "\nrefine: true\n";
        File.WriteAllText(Path.Combine(work, "seed.yaml"), yaml);
        var expected = await Some.SweepAsync(Some.Config(yaml, Path.Combine(work, "seed.yaml")));

        using (var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Binary, ["run", "seed.yaml", "--out", "native", "--quiet"]) { WorkingDirectory = work })!)
        {
            process.WaitForExit();
            Assert.AreEqual(0, process.ExitCode);
        }

        CollectionAssert.AreEqual(Stored.TableBytes(expected), Stored.TableBytes(Path.Combine(work, "native")));
        foreach (var file in new[] { "summary.parquet", "transfer.parquet", "report.md", "report.html" })
        {
            CollectionAssert.AreEqual(
                await File.ReadAllBytesAsync(Path.Combine(expected, file)),
                await File.ReadAllBytesAsync(Path.Combine(work, "native", file)),
                file);
        }
    }
}
