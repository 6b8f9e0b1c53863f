using System.Diagnostics;

namespace GdSweeps.Tests.Support;

/// <summary>Watching processes a test started, or that a sweep's children left behind.</summary>
internal static class Processes
{
    /// <summary>The process runs (it exists and is not a zombie).</summary>
    public static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z');

    /// <summary>Waits up to 5 s for <paramref name="pids"/> to be gone; the ones still alive.</summary>
    public static List<int> StillAlive(IEnumerable<int> pids)
    {
        var clock = Stopwatch.StartNew();
        while (pids.Any(Alive) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        return [.. pids.Where(Alive)];
    }

    /// <summary>
    /// Waits up to 60 s for <paramref name="condition"/> while the sweep <paramref name="process"/> runs; fails saying
    /// <paramref name="what"/> did not happen (the sweep killed) otherwise.
    /// </summary>
    public static void WaitFor(Func<bool> condition, string what, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                throw new AssertFailedException($"{what} did not happen before the sweep {(process.HasExited ? "ended" : "timed out")}");
            }

            Thread.Sleep(20);
        }
    }
}
