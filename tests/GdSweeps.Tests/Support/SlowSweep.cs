namespace GdSweeps.Tests.Support;

/// <summary>
/// A sweep slow enough (per-sample kernel, 20000 samples) to be interrupted part-way by a real signal.
/// </summary>
internal static class SlowSweep
{
    public const string Yaml = """
        name: slow
        datasets:
          - name: wide
            generate:
              x: {linspace: {from: 0.5, to: 2, count: 20000}}
              a: 2
              noise: 0.1
              seed: 3
        transforms: [none, standardize]
        w0: 0
        learning_rates: {logspace: {from: 1.0e-4, to: 0.9, count: 40}}
        clip: [none, 1]
        steps: 3000
        kernel: per-sample
        """;

    /// <summary>Writes the config into a new folder and returns the folder.</summary>
    public static string Folder()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "slow.yaml"), Yaml);
        return work;
    }

    /// <summary>
    /// Starts <c>gdsweeps run slow.yaml</c> and waits until at least <paramref name="parts"/> parts are stored.
    /// </summary>
    public static System.Diagnostics.Process StartAndWaitForParts(string work, int parts)
    {
        var process = System.Diagnostics.Process.Start(CliProcess.StartInfo(work, "run", "slow.yaml", "--runs-per-part", "4", "--threads", "2", "--quiet"))!;
        var partsDir = Path.Combine(work, "results", "slow", "runs");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (Directory.Exists(partsDir) && Directory.GetFiles(partsDir, "part-*.parquet").Length >= parts)
            {
                return process;
            }

            Thread.Sleep(20);
        }

        process.Kill(entireProcessTree: true);
        throw new AssertFailedException($"the slow sweep stored fewer than {parts} parts before it {(process.HasExited ? "finished" : "timed out")}");
    }
}
