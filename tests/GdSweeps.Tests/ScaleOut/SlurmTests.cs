using System.Diagnostics;
using GdSweeps.Results;
using GdSweeps.Tests.Cli;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.ScaleOut;

/// <summary>A real single-node Slurm cluster from Debian's packages runs a sweep as a 4-task job array.</summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class SlurmTests
{
    private static string Script(string name) => Path.Combine(Some.RepoRoot, "scripts", "slurm", name);

    private static (int Code, string Output) Bash(string workingDirectory, TimeSpan limit, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {limit}\n{stdout.Result}\n{stderr.Result}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [TestMethod]
    public async Task A_four_task_job_array_merges_to_the_same_results_as_a_local_run()
    {
        var installed = File.Exists("/usr/sbin/slurmctld") && File.Exists("/usr/sbin/slurmd") && File.Exists("/usr/bin/sbatch") && File.Exists("/usr/sbin/munged");
        Assert.IsTrue(installed, "Slurm and munge are not installed: run `apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge` as root (make test does it when run as root on Debian)");
        Assert.AreEqual("root", Environment.UserName, "this test starts munged, slurmctld and slurmd itself and needs root: run `sudo make test`");

        var work = Some.TempDir();
        var cluster = Path.Combine(work, "cluster");
        var up = Bash(work, TimeSpan.FromSeconds(60), Script("cluster.sh"), "up", cluster);
        Assert.AreEqual(0, up.Code, up.Output);
        try
        {
            var yaml = Some.SeedYaml + "\nrefine: true\n";
            File.WriteAllText(Path.Combine(work, "seed.yaml"), yaml);
            var cli = Path.Combine(work, "gdsweeps");
            File.WriteAllText(cli, $"#!/bin/sh\nexec dotnet {CliProcess.Dll} \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var info = new ProcessStartInfo("bash", [Script("sweep.sh"), cli, "seed.yaml", "4", "1", Path.Combine(work, "array")])
            {
                WorkingDirectory = work,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["SLURM_CONF"] = Path.Combine(cluster, "slurm.conf");
            info.Environment["SWEEP_TIMEOUT"] = "240";
            using var sweep = Process.Start(info)!;
            var output = sweep.StandardOutput.ReadToEndAsync();
            var errors = sweep.StandardError.ReadToEndAsync();
            Assert.IsTrue(sweep.WaitForExit(TimeSpan.FromMinutes(5)), "the array did not finish in 5 minutes");
            Assert.AreEqual(0, sweep.ExitCode, $"{output.Result}\n{errors.Result}\n{string.Join("\n", Directory.GetFiles(Path.Combine(work, "array"), "slurm-*.out").Select(File.ReadAllText))}");
            StringAssert.Contains(output.Result, "submitted job array");

            var local = await Some.SweepAsync(Some.Config(yaml, Path.Combine(work, "seed.yaml")));
            for (var k = 1; k <= 4; k++)
            {
                var manifest = Manifest.Read(Path.Combine(work, "array", $"manifest-shard-{k}-of-4.json"))!;
                Assert.AreEqual("complete", manifest.State);
            }

            CollectionAssert.AreEqual(Stored.TableBytes(local), Stored.TableBytes(Path.Combine(work, "array")));
            foreach (var file in new[] { "summary.parquet", "report.md" })
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(local, file)), File.ReadAllBytes(Path.Combine(work, "array", file)), file);
            }

            // A longer array, each task rewriting the live report: looked at while it runs, the same once merged.
            File.WriteAllText(Path.Combine(work, "live.yaml"), LiveReportTests.Yaml);
            info = new ProcessStartInfo("bash", [Script("sweep.sh"), cli, "live.yaml", "2", "1", Path.Combine(work, "live")])
            {
                WorkingDirectory = work,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["SLURM_CONF"] = Path.Combine(cluster, "slurm.conf");
            info.Environment["SWEEP_TIMEOUT"] = "240";
            info.Environment["GDSWEEPS_ARGS"] = "--report-every 2s --runs-per-part 8";
            using var live = Process.Start(info)!;
            var liveOutput = live.StandardOutput.ReadToEndAsync();
            var liveErrors = live.StandardError.ReadToEndAsync();
            var seen = LiveWatch.Watch(Path.Combine(work, "live"), work, LiveReportTests.Runs, live);
            Assert.IsTrue(live.WaitForExit(TimeSpan.FromMinutes(5)), "the live array did not finish in 5 minutes");
            Assert.AreEqual(0, live.ExitCode, $"{liveOutput.Result}\n{liveErrors.Result}");
            LiveWatch.AssertRising(seen, strict: false);
            var fresh = await Some.SweepAsync(SweepPlan.Load(Path.Combine(work, "live.yaml")), batchSize: 8);
            CollectionAssert.AreEqual(Stored.TableBytes(fresh), Stored.TableBytes(Path.Combine(work, "live")));
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(fresh, "report.md")), File.ReadAllBytes(Path.Combine(work, "live", "report.md")), "report.md");
        }
        finally
        {
            Bash(work, TimeSpan.FromSeconds(30), Script("cluster.sh"), "down", cluster);
        }
    }
}
