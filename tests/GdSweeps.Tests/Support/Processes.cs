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

    /// <summary>
    /// Runs a program to its end (at most <paramref name="minutes"/>) with <paramref name="environment"/> added; its
    /// exit code and output.
    /// </summary>
    public static CliProcess.Result Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, int minutes = 3)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(minutes)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {minutes} minutes");
        }

        return new CliProcess.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a Python script in Debian's /usr/bin/python3 (where scripts/test-deps.sh installs numpy, pandas, matplotlib).</summary>
    public static CliProcess.Result Python(string script) => Run("/usr/bin/python3", ["-c", script]);
}
