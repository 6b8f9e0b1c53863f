using System.Diagnostics;
using System.Globalization;
using System.Text;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// Generated attacks on the command trainer: random protocol streams (valid and lying lines, binary, lines without an
/// end, floods) from random process trees (children that escape into sessions of their own, trap signals, keep the
/// pipes open, outlive their timeout). Whatever they do, the sweep ends, stores each run once with a status its rules
/// allow, leaves no process behind, and keeps its memory bounded. A fixed seed in <c>make test</c>;
/// <c>make chaos</c> runs ten times the cases (GDSWEEPS_FUZZ_SCALE=10), GDSWEEPS_FUZZ_SEED another seed.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class CommandFuzzTests
{
    private static int Scaled(int full) =>
        double.TryParse(Environment.GetEnvironmentVariable("GDSWEEPS_FUZZ_SCALE"), CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? Math.Max(1, (int)(full * scale))
            : full;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("GDSWEEPS_FUZZ_SEED"), out var seed) ? seed : 20261206;

    /// <summary>A line of the protocol, valid or lying, for step <paramref name="t"/>.</summary>
    private static string Line(Random random, int t) => random.Next(14) switch
    {
        0 => $$"""echo '{"step": {{t}}, "loss": -Infinity}'""",
        1 => $$"""echo '{"step": {{t}}, "loss": NaN}'""",
        2 => $$"""echo '{"step": {{t}}, "loss": 1, "grad_norm": -1}'""",
        3 => $$"""echo '{"step": {{t}}, "loss": 1, "sharpness": Infinity}'""",
        4 => $$"""echo '{"step": {{Math.Max(0, t - 2)}}, "loss": 1}'""",
        5 => """echo '{"step": 99999, "loss": 1}'""",
        6 => """echo '{garbage'""",
        7 => """printf '\000\377\376binary\n'""",
        8 => """echo 'a line of text'""",
        9 => """head -c 70000 /dev/zero""",
        10 => $$"""echo '{"step": {{t}}, "loss": 1, "bogus": 2}'""",
        _ => $$"""echo '{"step": {{t}}, "loss": {{(1.0 / (t + 1)).ToString("R", CultureInfo.InvariantCulture)}}, "grad_norm": {{(1.0 / (t + 1)).ToString("R", CultureInfo.InvariantCulture)}}}'""",
    };

    /// <summary>What the run's processes do besides writing the protocol, each escape writing its pid down.</summary>
    private static string Behaviour(Random random) => random.Next(9) switch
    {
        0 => """setsid sh -c 'echo $$ >> "$MARKS/pids"; exec sleep 300' < /dev/null > /dev/null 2>&1 &""",
        1 => """( set -m; sh -c 'echo $$ >> "$MARKS/pids"; exec sleep 300' < /dev/null > /dev/null 2>&1 & )""",
        2 => """setsid sh -c 'echo $$ >> "$MARKS/pids"; while :; do echo "{\"step\": 1, \"loss\": 1}"; done' &""",
        3 => """trap '' TERM""",
        4 => """sh -c 'trap "" TERM; echo $$ >> "$MARKS/pids"; exec sleep 300' &""",
        5 => """sleep 5""",
        6 => """yes '{"step": 0, "loss": 1}' | head -n 100000""",
        7 => """exit 3""",
        _ => """true""",
    };

    private static string Script(Random random)
    {
        var script = new StringBuilder();
        var t = 0;
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            script.AppendLine(random.Next(3) == 0 ? Behaviour(random) : Line(random, t++));
        }

        return script.ToString();
    }

    [TestMethod]
    public async Task Random_streams_and_process_trees_end_in_one_stored_run_each_and_no_process_left()
    {
        var random = new Random(Seed);
        var cases = Scaled(16);
        var marks = Some.TempDir();
        var files = new List<(string, string)> { ("run.sh", "exec /bin/sh \"case-$1.sh\"\n") };
        for (var i = 0; i < cases; i++)
        {
            files.Add(($"case-{i}.sh", Script(random)));
        }

        var sweep = CommandSweep.Create(
            CommandSweep.Yaml("""[/bin/sh, run.sh, "{case}"]""", $"[run.sh, {string.Join(", ", Enumerable.Range(0, cases).Select(i => $"case-{i}.sh"))}]",
                $"  env: {{MARKS: {marks}}}\n  timeout: 2s\nparams: {{case: {{linspace: {{from: 0, to: {cases - 1}, count: {cases}}}}}}}", rates: "[0.1]", steps: 20),
            [.. files]);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();

        var outcome = await sweep.RunAsync(threads: 2);
        var rows = await sweep.RowsAsync();

        Assert.IsTrue(outcome.Complete, "the sweep ends and reports");
        Assert.IsLessThan(30 + (3.0 * cases), clock.Elapsed.TotalSeconds, "no run outlives its timeout by much");
        Assert.HasCount(2 * cases, rows, "each run stored once");
        Assert.HasCount(2 * cases, rows.Select(r => r["run_id"]).Distinct().ToList());
        foreach (var row in rows)
        {
            var status = (string)row["status"]!;
            var script = File.ReadAllText(Path.Combine(sweep.Folder, $"case-{(long)row["param_case"]!}.sh"));
            Assert.IsTrue(RunStatuses.TryParse(status, out _), status);
            if (status is "converged" or "oscillating" or "stalled")
            {
                // A run judged on its curve wrote nothing the rules refuse before it ended.
                Assert.IsNull(row["error"], $"{script}\n{row["error"]}");
            }
        }

        var pids = File.Exists(Path.Combine(marks, "pids")) ? File.ReadAllLines(Path.Combine(marks, "pids")).Select(int.Parse).ToList() : [];
        var deadline = Stopwatch.StartNew();
        while (pids.Any(Processes.Alive) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        Assert.IsEmpty(pids.Where(Processes.Alive).ToList(), "every process the runs started is stopped with them");
        Assert.IsLessThan(200L << 20, GC.GetTotalMemory(forceFullCollection: true) - before, "memory stays bounded");
    }
}
