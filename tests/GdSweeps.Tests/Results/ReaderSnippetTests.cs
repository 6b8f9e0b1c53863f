using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Results;

/// <summary>
/// The reading code README.md and docs/results-schema.md show, run as written on a real seed sweep: the DuckDB SQL
/// through DuckDB.NET, the Polars code through Node's nodejs-polars; their numbers are the library's own reading.
/// </summary>
[TestClass]
public sealed partial class ReaderSnippetTests
{
    private static readonly Lazy<Task<string>> Work = new(async () =>
    {
        var work = Some.TempDir();
        await Some.SweepAsync(Some.Config(), directory: Path.Combine(work, "results", "seed"), batchSize: 100);
        return work;
    });

    public static IEnumerable<object[]> Documents => [["README.md"], ["docs/results-schema.md"]];

    [GeneratedRegex("```(sql|js)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();

    private static List<string> Blocks(string document, string language) =>
        [.. Block().Matches(File.ReadAllText(Path.Combine(Some.RepoRoot, document))).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value)];

    /// <summary>
    /// The unclipped groups of the seed sweep as the library reads summary.parquet: (dataset, transform) to their
    /// figures.
    /// </summary>
    private static async Task<Dictionary<(string, string), double?[]>> Stable(string seed) =>
        (await Stored.SummaryAsync(seed)).Where(s => s.Clip is null)
            .ToDictionary(s => (s.Dataset, s.Transform), s => new[] { s.LrCrit, s.MaxStableLr, s.MinUnstableLr, s.EdgeRatio });

    /// <summary>
    /// The curves of raw x = {1, 100}, unclipped, as the library reads them: (learning rate, step, loss) in rate then
    /// step order.
    /// </summary>
    private static async Task<List<(double Rate, int Step, double? Loss)>> Group(string seed)
    {
        var runs = (await Stored.RunsAsync(seed)).Where(r => r.Dataset == "x1to100" && r.Transform == "none" && r.Clip is null).ToDictionary(r => r.RunIndex);
        return [.. (await Stored.CurvesAsync(seed)).Where(c => runs.ContainsKey(c.RunIndex))
            .Select(c => (runs[c.RunIndex].LearningRate, c.Step, double.IsFinite(c.Loss) ? c.Loss : (double?)null))
            .OrderBy(c => c.LearningRate).ThenBy(c => c.Step)];
    }

    private static DuckDBCommand Query(DuckDBConnection connection, string sql, string work)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql.Replace("'results/seed/", $"'{work}/results/seed/", StringComparison.Ordinal);
        return command;
    }

    [TestMethod]
    [DynamicData(nameof(Documents))]
    public async Task The_duckdb_query_of_the_stable_range_per_preprocessing_gives_the_summary(string document)
    {
        var work = await Work.Value;
        var sql = Blocks(document, "sql").Single(b => b.Contains("FROM 'results/seed/summary.parquet'", StringComparison.Ordinal) && b.Contains("edge_ratio", StringComparison.Ordinal));
        var expected = await Stable(Path.Combine(work, "results", "seed"));

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = Query(connection, sql, work);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
            var key = (reader.GetString(reader.GetOrdinal("dataset")), reader.GetString(reader.GetOrdinal("transform")));
            var figures = new[] { "lr_crit", "max_stable_lr", "min_unstable_lr", "edge_ratio" }.Select(c => (double?)reader.GetDouble(reader.GetOrdinal(c)));
            CollectionAssert.AreEqual(expected[key], figures.ToArray(), key.ToString());
        }

        Assert.AreEqual(expected.Count, rows);
    }

    [TestMethod]
    [DynamicData(nameof(Documents))]
    public async Task The_duckdb_query_of_the_curves_of_one_group_joins_them_on_run_index(string document)
    {
        var work = await Work.Value;
        var sql = Blocks(document, "sql").Single(b => b.Contains("USING (run_index)", StringComparison.Ordinal));
        var expected = await Group(Path.Combine(work, "results", "seed"));

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = Query(connection, sql, work);
        using var reader = command.ExecuteReader();
        var rows = new List<(double, int, double?)>();
        while (reader.Read())
        {
            var loss = reader.GetDouble(reader.GetOrdinal("loss"));
            rows.Add((reader.GetDouble(reader.GetOrdinal("learning_rate")), reader.GetInt32(reader.GetOrdinal("step")), double.IsFinite(loss) ? loss : null));
        }

        Assert.IsGreaterThan(100, rows.Count);
        CollectionAssert.AreEqual(expected, rows);
    }

    [TestMethod]
    [DynamicData(nameof(Documents))]
    [TestCategory(TestTiers.Process)]
    public async Task The_polars_code_runs_as_written_and_gives_the_summary_and_the_curves(string document)
    {
        var work = await Work.Value;
        var modules = Path.Combine(Some.RepoRoot, ".build", "node", "node_modules");
        Assert.IsTrue(Directory.Exists(Path.Combine(modules, "nodejs-polars")), "nodejs-polars is not installed in .build/node: run bash scripts/readers-deps.sh (make test does)");
        var js = Blocks(document, "js").Single();
        var script = Path.Combine(work, $"readers-{Path.GetFileNameWithoutExtension(document)}.js");

        // After the code as written: its two results as JSON, for the numbers to be checked.
        File.WriteAllText(script, js + """

            console.log("@@" + JSON.stringify({ stable: stable.toRecords(), group: group.select("learning_rate", "step", "loss").toRecords() }));
            """);
        var info = new ProcessStartInfo("node", [script]) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["NODE_PATH"] = modules;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.IsTrue(process.WaitForExit(TimeSpan.FromMinutes(1)), "node did not finish in a minute");
        Assert.AreEqual(0, process.ExitCode, await stderr);
        var output = await stdout;
        StringAssert.Contains(output, "shape: (4, 6)", "the stable ranges, printed");

        using var json = JsonDocument.Parse(output.Split('\n').Single(l => l.StartsWith("@@", StringComparison.Ordinal))[2..]);
        var seed = Path.Combine(work, "results", "seed");
        var expected = await Stable(seed);
        var stable = json.RootElement.GetProperty("stable").EnumerateArray().ToList();
        Assert.HasCount(expected.Count, stable);
        foreach (var row in stable)
        {
            var key = (row.GetProperty("dataset").GetString()!, row.GetProperty("transform").GetString()!);
            CollectionAssert.AreEqual(expected[key], new[] { "lr_crit", "max_stable_lr", "min_unstable_lr", "edge_ratio" }.Select(c => (double?)row.GetProperty(c).GetDouble()).ToArray(), key.ToString());
        }

        var group = json.RootElement.GetProperty("group").EnumerateArray()
            .Select(r => (r.GetProperty("learning_rate").GetDouble(), r.GetProperty("step").GetInt32(), r.GetProperty("loss").ValueKind == JsonValueKind.Null ? (double?)null : r.GetProperty("loss").GetDouble()))
            .ToList();
        CollectionAssert.AreEqual(await Group(seed), group);
    }
}
