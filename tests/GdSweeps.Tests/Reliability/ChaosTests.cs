using System.Diagnostics;
using System.Runtime.InteropServices;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// Kills at random moments and random damage to random stored files, then a rerun: the folder ends as an uninterrupted
/// sweep's.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class ChaosTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private static readonly string Yaml = SlowSweep.Yaml.Replace("count: 20000", "count: 2000", StringComparison.Ordinal).Replace("steps: 1000", "steps: 3000", StringComparison.Ordinal);

    private static string Folder()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "slow.yaml"), Yaml);
        return work;
    }

    private static ProcessStartInfo Start(string work) => CliProcess.StartInfo(work, "run", "slow.yaml", "--runs-per-part", "4", "--threads", "2", "--quiet");

    [TestMethod]
    public void Random_kills_and_damaged_files_between_reruns_end_in_the_bytes_of_an_uninterrupted_sweep()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GDSWEEPS_CHAOS_SEED"), out var s) ? s : 20261201;
        var random = new Random(seed);
        var reference = Folder();
        var done = CliProcess.Run(reference, "run", "slow.yaml", "--runs-per-part", "4", "--quiet");
        Assert.AreEqual(0, done.ExitCode, done.Stderr);

        var work = Folder();
        var results = Path.Combine(work, "results", "slow");
        var log = new List<string>();
        for (var round = 0; round < 6; round++)
        {
            using (var process = Process.Start(Start(work))!)
            {
                Thread.Sleep(random.Next(200, 1500));
                if (!process.HasExited)
                {
                    _ = kill(process.Id, 9);
                }

                process.WaitForExit();
            }

            var files = Directory.Exists(results)
                ? Directory.GetFiles(results, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/damaged/", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("lock", StringComparison.Ordinal)).ToList()
                : [];
            if (files.Count == 0)
            {
                continue;
            }

            var victim = files[random.Next(files.Count)];
            var how = random.Next(5);
            var bytes = File.ReadAllBytes(victim);
            switch (how)
            {
                case 0 when bytes.Length > 0:
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                    File.WriteAllBytes(victim, bytes);
                    break;
                case 1:
                    File.WriteAllBytes(victim, bytes[..(bytes.Length / 2)]);
                    break;
                case 2:
                    File.WriteAllBytes(victim, []);
                    break;
                case 3:
                    File.Delete(victim);
                    break;
                default:
                    File.AppendAllText(victim, "garbage");
                    break;
            }

            log.Add($"round {round}: {how} on {Path.GetRelativePath(results, victim)}");
        }

        var final = CliProcess.Run(work, "run", "slow.yaml", "--runs-per-part", "4", "--quiet");

        Assert.AreEqual(0, final.ExitCode, $"seed {seed}\n{string.Join("\n", log)}\n{final.Stderr}");
        Assert.DoesNotContain("   at ", final.Stderr);
        CollectionAssert.AreEqual(Stored.TableBytes(Path.Combine(reference, "results", "slow")), Stored.TableBytes(results), $"seed {seed}\n{string.Join("\n", log)}");
        foreach (var file in new[] { "summary.parquet", "report.md" })
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(reference, "results", "slow", file)), File.ReadAllBytes(Path.Combine(results, file)), file);
        }
    }
}
