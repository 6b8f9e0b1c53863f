using System.Diagnostics;
using GdSweeps.Configs;
using GdSweeps.Data;
using GdSweeps.Grid;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// Mutated configs and CSV files, seeded and bounded in time: the only outcomes are success or a clean error.
/// </summary>
[TestClass]
public sealed class FuzzTests
{
    private static readonly string[] Junk =
    [
        "-1", "0", ".nan", "-.inf", "1e999", "[", "]", "{", "}", ":", ",", "- ", "!!python/object:os.system", "!custom",
        "\t", "null", "~", "''", "\"", "&a", "*a", "<<: *a", "[[1, 2], [3]]", "{logspace: {from: 0, to: 1}}",
        "none", "log1p", "-", "#", "\n", "  ", "99999999999999999999", "x", "é", "\u0000",
    ];

    /// <summary>
    /// The fixed seed, unless GDSWEEPS_FUZZ_SEED asks for another (to explore beyond the cases CI runs).
    /// </summary>
    private static int Seed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("GDSWEEPS_FUZZ_SEED"), out var seed) ? seed : fallback;

    /// <summary>
    /// How many cases (and seconds at most) a test tries: <paramref name="full"/> times GDSWEEPS_FUZZ_SCALE (1 unless set:
    /// <c>make check</c> sets 0.1 to stay quick, <c>make chaos</c> 10 to explore longer).
    /// </summary>
    private static int Scaled(int full) =>
        double.TryParse(Environment.GetEnvironmentVariable("GDSWEEPS_FUZZ_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? Math.Max(1, (int)(full * scale))
            : full;

    private static string Mutate(string text, Random random)
    {
        for (var k = random.Next(1, 4); k > 0; k--)
        {
            if (text.Length == 0)
            {
                return Junk[random.Next(Junk.Length)];
            }

            var at = random.Next(text.Length);
            text = random.Next(6) switch
            {
                0 => text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at)),
                1 => text.Insert(at, Junk[random.Next(Junk.Length)]),
                2 => text[..at],
                3 => SwapLines(text, random),
                4 => Duplicate(text, at, random),
                _ => ReplaceToken(text, at, random),
            };
        }

        return text;
    }

    private static string Duplicate(string text, int at, Random random)
    {
        var from = random.Next(text.Length);
        return text.Insert(at, text.Substring(from, Math.Min(20, text.Length - from)));
    }

    private static string SwapLines(string text, Random random)
    {
        var lines = text.Split('\n');
        if (lines.Length < 2)
        {
            return text;
        }

        var (i, j) = (random.Next(lines.Length), random.Next(lines.Length));
        (lines[i], lines[j]) = (lines[j], lines[i]);
        return string.Join('\n', lines);
    }

    private static string ReplaceToken(string text, int at, Random random)
    {
        var end = at;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not (',' or ']' or '}'))
        {
            end++;
        }

        return text[..at] + Junk[random.Next(Junk.Length)] + text[end..];
    }

    [TestMethod]
    public void Mutated_configs_load_or_fail_with_a_config_error_only()
    {
        var folder = Path.Combine(Some.RepoRoot, "configs");
        var seeds = Directory.GetFiles(folder, "*.yaml").Select(f => (Path: f, Text: File.ReadAllText(f))).ToList();
        var random = new Random(Seed(20261128));
        var clock = Stopwatch.StartNew();
        int cases = 0, loaded = 0;
        while (cases < Scaled(3000) && clock.Elapsed < TimeSpan.FromSeconds(Scaled(20)))
        {
            var (path, text) = seeds[random.Next(seeds.Count)];
            var mutated = Mutate(text, random);
            try
            {
                var config = SweepPlan.Parse(mutated, path);
                Assert.IsGreaterThan(0L, new SweepGrid(config).Count);
                loaded++;
            }
            catch (ConfigException e)
            {
                Assert.IsNotEmpty(e.Errors);
                Assert.IsTrue(e.Errors.All(err => err.Message.Length > 0), string.Join("\n", e.Errors));
            }
            catch (Exception e) when (e is not AssertFailedException)
            {
                Assert.Fail($"case {cases}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}\n--- config ---\n{mutated}");
            }

            cases++;
        }

        Assert.IsGreaterThan(Scaled(500), cases);
        Assert.IsGreaterThan(0, loaded);
    }

    [TestMethod]
    public void Every_error_of_a_mutated_config_is_located_inside_the_text()
    {
        var folder = Path.Combine(Some.RepoRoot, "configs");
        var seeds = Directory.GetFiles(folder, "*.yaml").Select(f => (Path: f, Text: File.ReadAllText(f))).ToList();
        var random = new Random(Seed(20260412));
        var clock = Stopwatch.StartNew();
        int cases = 0, syntax = 0;
        while (cases < Scaled(3000) && clock.Elapsed < TimeSpan.FromSeconds(Scaled(20)))
        {
            var (path, text) = seeds[random.Next(seeds.Count)];
            var mutated = Mutate(text, random);
            var lines = mutated.Split('\n').Length;
            try
            {
                SweepPlan.Parse(mutated, path);
            }
            catch (ConfigException e)
            {
                // Only a file that cannot be read at all has no line (line 0); text always can be.
                var config = e.Errors.Where(err => err.File == path).ToList();
                Assert.IsTrue(config.All(err => err.Line >= 1 && err.Line <= lines + 1 && err.Column >= 1),
                    $"case {cases}:\n{string.Join("\n", e.Errors)}\n--- config ---\n{mutated}");
                syntax += config.Any(err => err.Message.StartsWith("malformed YAML", StringComparison.Ordinal)) ? 1 : 0;
            }

            cases++;
        }

        Assert.IsGreaterThan(Scaled(500), cases);
        Assert.IsGreaterThan(50, syntax);
    }

    [TestMethod]
    public void Mutated_command_trainer_configs_load_or_fail_with_located_config_errors_only()
    {
        // The examples' configs, read where they lie (their scripts and data resolve); programs and inputs are only looked at.
        var seeds = Directory.GetFiles(Path.Combine(Some.RepoRoot, "examples"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => (Path: f, Text: File.ReadAllText(f))).ToList();
        var random = new Random(Seed(20261201));
        var clock = Stopwatch.StartNew();
        int cases = 0, loaded = 0;
        while (cases < Scaled(2000) && clock.Elapsed < TimeSpan.FromSeconds(Scaled(10)))
        {
            var (path, text) = seeds[random.Next(seeds.Count)];
            var mutated = Mutate(text, random);
            var lines = mutated.Split('\n').Length;
            try
            {
                Assert.IsGreaterThan(0L, new SweepGrid(SweepPlan.Parse(mutated, path)).Count);
                loaded++;
            }
            catch (ConfigException e)
            {
                var own = e.Errors.Where(err => err.File == path).ToList();
                Assert.IsTrue(own.All(err => err.Message.Length > 0 && err.Line >= 1 && err.Line <= lines + 1 && err.Column >= 1),
                    $"case {cases}:\n{string.Join("\n", e.Errors)}\n--- config ---\n{mutated}");
            }
            catch (Exception e) when (e is not AssertFailedException)
            {
                Assert.Fail($"case {cases}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}\n--- config ---\n{mutated}");
            }

            cases++;
        }

        Assert.IsGreaterThan(Scaled(300), cases);
        Assert.IsGreaterThan(0, loaded);
    }

    [TestMethod]
    public void Mutated_csv_files_load_or_fail_with_a_config_error_only()
    {
        var source = File.ReadAllText(Path.Combine(Some.RepoRoot, "configs", "data", "houses.csv"));
        var path = Path.Combine(Some.TempDir(), "fuzz.csv");
        var random = new Random(Seed(7));
        var clock = Stopwatch.StartNew();
        var cases = 0;
        while (cases < Scaled(3000) && clock.Elapsed < TimeSpan.FromSeconds(Scaled(15)))
        {
            File.WriteAllText(path, Mutate(source, random));
            try
            {
                var d = CsvTable.Load("fuzz", path, ["area", "rooms"], "price", dropMissing: random.Next(2) == 0);
                Assert.IsGreaterThan(0, d.Count);
            }
            catch (GdSweeps.Data.DataException e)
            {
                Assert.IsNotEmpty(e.Errors);
                Assert.IsTrue(e.Errors.All(err => err.Line >= 1 && err.Column >= 1), string.Join("\n", e.Errors));
            }
            catch (Exception e) when (e is not AssertFailedException)
            {
                Assert.Fail($"case {cases}: {e.GetType().Name}: {e.Message}\n--- csv ---\n{File.ReadAllText(path)}");
            }

            cases++;
        }

        Assert.IsGreaterThan(Scaled(500), cases);
    }
}
