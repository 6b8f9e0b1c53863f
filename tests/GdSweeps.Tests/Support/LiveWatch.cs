using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GdSweeps.Tests.Support;

/// <summary>
/// Watches a running sweep's live report: report.md and report.html read over and over (each whole, never torn) and
/// <c>gdsweeps report DIR</c> asked now and then, until each has shown the runs stored rising twice.
/// </summary>
internal static partial class LiveWatch
{
    /// <summary>What was seen: the counts of report.md's banners and of <c>gdsweeps report</c>'s, in order.</summary>
    public sealed record Seen(List<long> File, List<long> Command, int Reads);

    [GeneratedRegex(@"^# Sweep `[^`]+`: which learning rates keep gradient descent stable\n\n> \*\*(In progress|Shard done|Shards) \([^)]+\): ([\d,]+) of ([\d,]+) runs stored")]
    public static partial Regex Banner();

    /// <summary>
    /// Reads <paramref name="folder"/>'s reports while <paramref name="sweeps"/> run, until report.md and
    /// <c>gdsweeps report</c> have each shown two different counts (or the sweeps end); fails on a torn file.
    /// </summary>
    public static Seen Watch(string folder, string workingDirectory, long total, params Process[] sweeps)
    {
        var file = new List<long>();
        var command = new List<long>();
        var reads = 0;
        var clock = Stopwatch.StartNew();
        var asked = TimeSpan.Zero;
        while (sweeps.Any(s => !s.HasExited) && clock.Elapsed < TimeSpan.FromMinutes(3) && (file.Distinct().Count() < 2 || command.Distinct().Count() < 2))
        {
            var markdown = Path.Combine(folder, "report.md");
            var html = Path.Combine(folder, "report.html");
            if (File.Exists(markdown))
            {
                var text = File.ReadAllText(markdown);
                reads++;
                if (Banner().Match(text) is { Success: true } m)
                {
                    Assert.AreEqual(total, Count(m.Groups[3].Value), "the grid's runs");
                    Assert.EndsWith("\n", text, "report.md read whole");
                    var count = Count(m.Groups[2].Value);
                    if (file.Count == 0 || file[^1] != count)
                    {
                        file.Add(count);
                    }
                }
                else if (!text.StartsWith("# Sweep", StringComparison.Ordinal) || !text.EndsWith('\n'))
                {
                    Assert.Fail($"report.md read torn or unmarked:\n{text[..Math.Min(400, text.Length)]}");
                }
            }

            if (File.Exists(html))
            {
                var page = File.ReadAllText(html);
                reads++;
                Assert.EndsWith("</html>\n", page, "report.html read whole");
            }

            // The command, every second: it reads the folder while the sweep writes it, and writes nothing there.
            if (clock.Elapsed - asked > TimeSpan.FromSeconds(1))
            {
                asked = clock.Elapsed;
                var before = Entries(folder);
                // Whether a sweep had started (its manifest written) before the command ran, not after: a shard's
                // manifest written while the command read the folder is not one it could have seen.
                var started = Directory.Exists(folder) && Directory.GetFiles(folder, "manifest*.json").Length > 0;
                var result = CliProcess.Run(workingDirectory, "report", folder);
                if (result.ExitCode == 0 && Banner().Match(result.Stdout) is { Success: true } m)
                {
                    Assert.AreEqual(total, Count(m.Groups[3].Value), "the grid's runs");
                    var count = Count(m.Groups[2].Value);
                    if (command.Count == 0 || command[^1] != count)
                    {
                        command.Add(count);
                    }
                }
                else if (sweeps.All(s => !s.HasExited) && started)
                {
                    // Once a sweep has started (its manifest written), report answers.
                    Assert.AreEqual(0, result.ExitCode, $"gdsweeps report on the running sweep: {result.Stderr}\n{result.Stdout[..Math.Min(400, result.Stdout.Length)]}");
                }

                // What the sweeps (and Slurm, each task's output file) write as they go aside, nothing new appeared.
                string[] theirs = ["runs", "curves", "logs", "data", ".gdsweeps", "report.", "manifest", "gdsweeps", "slurm-"];
                var created = Entries(folder).Except(before).Where(e => !theirs.Any(t => e.StartsWith(t, StringComparison.Ordinal))).ToList();
                if (sweeps.All(s => !s.HasExited))
                {
                    Assert.IsEmpty(created, $"gdsweeps report wrote into the running sweep's folder: {string.Join(", ", created)}");
                }
            }

            Thread.Sleep(25);
        }

        return new Seen(file, command, reads);
    }

    /// <summary>Checks that both report.md and the command showed the count rise, marked in progress.</summary>
    /// <param name="strict">Each count above the one before (one writer); shards each write the report, so one
    /// rendered earlier may land later.</param>
    public static void AssertRising(Seen seen, bool strict = true)
    {
        Assert.IsGreaterThanOrEqualTo(2, seen.File.Count, $"report.md showed the runs stored rising at least once (counts: {string.Join(", ", seen.File)}; {seen.Reads} reads)");
        Assert.IsGreaterThanOrEqualTo(2, seen.Command.Count, $"gdsweeps report showed the runs stored rising at least once (counts: {string.Join(", ", seen.Command)})");
        foreach (var counts in strict ? new[] { seen.File, seen.Command } : [seen.Command])
        {
            for (var i = 1; i < counts.Count; i++)
            {
                Assert.IsGreaterThan(counts[i - 1], counts[i], $"counts only rise: {string.Join(", ", counts)}");
            }
        }
    }

    private static long Count(string text) => long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static HashSet<string> Entries(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(folder, e).Replace('\\', '/'))]
            : [];
}
