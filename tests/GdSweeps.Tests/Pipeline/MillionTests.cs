using System.Text.RegularExpressions;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Pipeline;

/// <summary>
/// configs/million.yaml, the workload of ../shared/peers/million_np.py: the same answer as the peer, and a report that
/// stays small and opens at once. One sweep serves every test here.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed partial class MillionTests
{
    private static readonly Lazy<Task<string>> Sweep = new(() => Some.SweepAsync(SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", "million.yaml"))));

    /// <summary>
    /// The peer's rule, as million_np.py computes it: full-batch GD on y = w*x over x = [1, 2, 3, 4], the gradient
    /// clipped to at most c in size, and a run diverged (and frozen) once its loss is not finite or above 1e12, checked
    /// at steps 0 to 100. The tool calls the same runs diverged (the default divergence_threshold is 1e12); its other
    /// statuses split the peer's "not diverged".
    /// </summary>
    [TestMethod]
    public async Task The_tool_calls_diverged_exactly_the_runs_the_numpy_peer_does()
    {
        double[] x = [1, 2, 3, 4], y = [2.1, 3.9, 6.2, 7.8];
        double[] clips = [double.PositiveInfinity, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50];
        var peer = 0;
        for (var a = 0; a < 100; a++)
        {
            foreach (var c in clips)
            {
                for (var k = 0; k < 1000; k++)
                {
                    var lr = Math.Pow(10, -4 + (4.0 * k / 999));
                    var w = -5 + (10.0 * a / 99);
                    for (var t = 0; t <= 100; t++)
                    {
                        double loss = 0, g = 0;
                        for (var i = 0; i < 4; i++)
                        {
                            var r = (w * x[i]) - y[i];
                            loss += r * r;
                            g += r * x[i];
                        }

                        (loss, g) = (loss / 4, 2.0 / 4 * g);
                        if (!(loss <= 1e12))
                        {
                            peer++;
                            break;
                        }

                        w -= lr * g * Math.Min(1.0, c / Math.Max(Math.Abs(g), 1e-300));
                    }
                }
            }
        }

        var manifest = await File.ReadAllTextAsync(Path.Combine(await Sweep.Value, "manifest.json"));
        var tool = int.Parse(Diverged().Match(manifest).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.AreEqual(21_230, peer, "million_np.py reports 21,230 diverged runs");
        Assert.AreEqual(peer, tool);
    }

    [TestMethod]
    public async Task The_report_of_a_million_runs_is_under_5_MB_and_Chromium_lays_it_out_in_under_5_s()
    {
        Chromium.Require();
        var html = Path.Combine(await Sweep.Value, "report.html");
        Assert.IsLessThan(5_000_000L, new FileInfo(html).Length, "report.html of a million runs");

        // Chromium's own start is part of the figure: the bound holds for the whole process, page laid out and dumped.
        // The suite runs beside it, so a slow first try (a cold start under load) gets one more; the faster counts.
        var best = double.MaxValue;
        for (var attempt = 0; attempt < 2 && best >= 5.0; attempt++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (dom, log) = Chromium.Run(new Uri(html).AbsoluteUri, "--dump-dom", "--window-size=1400,1000");
            clock.Stop();
            Assert.Contains("stability map", dom, StringComparison.OrdinalIgnoreCase, $"the page did not lay out; chromium said:\n{log}");
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        Assert.IsLessThan(5.0, best, "seconds for Chromium to open, lay out and dump the million-run report");
    }

    /// <summary>
    /// gdsweeps export streams: the million's runs (a CSV of about 530 MB) go out in bounded memory, one row group at
    /// a time, never the table (its curves, 30 million rows and 2 GB, in 35 MB: docs/benchmarks.md). Peak memory is the kernel's count for the process (ru_maxrss), read through
    /// Python's resource module.
    /// </summary>
    [TestMethod]
    public async Task Exporting_the_million_s_runs_to_csv_takes_bounded_memory_and_every_row()
    {
        var directory = await Sweep.Value;
        var work = Some.TempDir();
        var peaks = new Dictionary<string, double>();
        foreach (var table in new[] { "runs" })
        {
            var csv = Path.Combine(work, table + ".csv");
            var script = $$"""
                import resource, subprocess, sys
                done = subprocess.run(["dotnet", {{JsonText(CliProcess.Dll)}}, "export", {{JsonText(directory)}}, "--table", "{{table}}", "--out", {{JsonText(csv)}}])
                print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
                sys.exit(done.returncode)
                """;
            var result = GdSweeps.Tests.Support.Processes.Python(script);
            Assert.AreEqual(0, result.ExitCode, result.Stderr);
            peaks[table] = double.Parse(result.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var rows = 0L;
            using (var reader = new StreamReader(csv))
            {
                while (reader.ReadLine() is not null)
                {
                    rows++;
                }
            }

            Assert.AreEqual(1_000_001, rows, $"{table}: the header and every row");
            var size = new FileInfo(csv).Length >> 20;
            File.Delete(csv);
            Assert.IsLessThan(256, peaks[table], $"peak MB exporting the million's {table} ({size} MB of CSV)");
        }
    }

    private static string JsonText(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    [GeneratedRegex("\"diverged\":\\s*(\\d+)")]
    private static partial Regex Diverged();
}
