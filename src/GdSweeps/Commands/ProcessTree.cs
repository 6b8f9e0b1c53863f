using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace GdSweeps.Commands;

/// <summary>
/// Everything an attempt started, found by the token in its environment: each attempt's command gets
/// <c>GDSWEEPS_ATTEMPT=&lt;token&gt;</c>, a random 128-bit value, and every process it starts inherits it, whatever
/// session or group it moves to (<c>setsid</c>, <c>set -m; cmd &amp;</c>). A process holding the token is proven the
/// attempt's; only those are stopped. The tokens of live attempts are also written into the results folder, so that
/// after the tool was killed outright the next run finds and stops what the dead one left.
/// </summary>
internal static partial class ProcessTree
{
    public const string TokenVariable = "GDSWEEPS_ATTEMPT";

    private const int SigKill = 9;

    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);

    public static string NewToken() => Guid.NewGuid().ToString("N");

    /// <summary>The token is in use: <see cref="StopAllLive"/> stops its processes when the tool exits.</summary>
    public static void Begin(string token) => Live[token] = 0;

    public static void End(string token) => Live.TryRemove(token, out _);

    /// <summary>The live processes (this one aside) whose environment holds <paramref name="token"/>.</summary>
    public static List<int> Find(string token)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return found;
        }

        var needle = Encoding.ASCII.GetBytes($"{TokenVariable}={token}");
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                var at = environ.AsSpan().IndexOf(needle);
                if (at >= 0 && (at == 0 || environ[at - 1] == 0) && (at + needle.Length == environ.Length || environ[at + needle.Length] == 0))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It ended, or is not ours to read (then not ours at all: ours run as this user).
            }
        }

        return found;
    }

    /// <summary>
    /// Stops every process holding <paramref name="token"/>, over rounds until three scans in a row find none (one may
    /// start another while they stop, and a process in the middle of starting a program shows no environment for a
    /// moment); the pids still alive after them, which could not be stopped.
    /// </summary>
    public static List<int> KillAll(string token)
    {
        var quiet = 0;
        for (var round = 0; round < 100 && quiet < 3; round++)
        {
            var pids = Find(token);
            quiet = pids.Count == 0 ? quiet + 1 : 0;
            foreach (var pid in pids)
            {
                _ = Kill(pid, SigKill);
            }

            Thread.Sleep(quiet == 0 ? 2 : 10);
        }

        return Find(token);
    }

    /// <summary>Stops the processes of every live attempt at once: the tool is exiting.</summary>
    public static void StopAllLive()
    {
        foreach (var token in Live.Keys)
        {
            foreach (var pid in Find(token))
            {
                _ = Kill(pid, SigKill);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>
/// The tokens of a writer's live attempts, one file each in the results folder's hidden area: what a run killed
/// outright leaves there tells the next run which processes are the dead one's.
/// </summary>
internal sealed class AttemptTokens
{
    private readonly string folder;

    /// <param name="folder">The writer's own folder of tokens (shards of one sweep each have theirs).</param>
    public AttemptTokens(string folder)
    {
        this.folder = folder;
        Directory.CreateDirectory(folder);
    }

    public void Add(string token, string run) => File.WriteAllText(Path.Combine(folder, token), run + "\n");

    public void Remove(string token) => File.Delete(Path.Combine(folder, token));

    /// <summary>
    /// Stops what earlier attempts left running (their tokens still here: the tool that started them was killed).
    /// </summary>
    /// <exception cref="IOException">Some could not be stopped; no run starts beside a copy of itself.</exception>
    public void StopLeftovers(Action<string> warn)
    {
        foreach (var path in Directory.GetFiles(folder))
        {
            var token = Path.GetFileName(path);
            var run = File.ReadAllText(path).Trim();
            var found = ProcessTree.Find(token);
            var left = ProcessTree.KillAll(token);
            if (left.Count > 0)
            {
                throw new IOException($"processes {string.Join(", ", left)} of {run} (killed with the tool) could not be stopped; "
                    + "stop them, then run again (no run starts beside a copy of itself)");
            }

            if (found.Count > 0)
            {
                warn($"stopped {found.Count} process(es) that {run} left running when the tool was killed");
            }

            File.Delete(path);
        }
    }
}
