using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Results;

/// <summary>The SQL the README shows runs, as written, on a real sweep and gives what the theory says.</summary>
[TestClass]
public sealed partial class ReadmeQueryTests
{
    [GeneratedRegex("```sql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();

    [TestMethod]
    public async Task The_README_query_runs_on_the_seed_results_and_brackets_lr_crit()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Some.RepoRoot, "README.md"));
        var sql = SqlBlock().Matches(readme)[0].Groups[1].Value;
        Assert.Contains("'results/seed/runs/*.parquet'", sql);
        var work = Some.TempDir();
        await Some.SweepAsync(Some.Config(), directory: Path.Combine(work, "results", "seed"));

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("'results/seed/", $"'{work}/results/seed/", StringComparison.Ordinal);
        using var reader = command.ExecuteReader();

        var rows = 0;
        while (reader.Read())
        {
            rows++;
            if (reader.IsDBNull(2))
            {
                var largestFinite = reader.GetDouble(3);
                var smallestDiverged = reader.GetDouble(4);
                var lrCrit = reader.GetDouble(5);
                Assert.IsLessThan(lrCrit, largestFinite);
                Assert.IsGreaterThan(lrCrit, smallestDiverged);
            }
        }

        Assert.AreEqual(16, rows);
    }

    [TestMethod]
    public async Task The_README_summary_query_runs_and_shows_each_refined_edge_just_below_lr_crit()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Some.RepoRoot, "README.md"));
        var sql = SqlBlock().Matches(readme)[1].Groups[1].Value;
        Assert.Contains("'results/seed/summary.parquet'", sql);
        var work = Some.TempDir();
        await Some.SweepAsync(Some.Config(Some.SeedYaml + "\nrefine: true\n"), directory: Path.Combine(work, "results", "seed"));

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("'results/seed/", $"'{work}/results/seed/", StringComparison.Ordinal);
        using var reader = command.ExecuteReader();

        var rows = 0;
        while (reader.Read())
        {
            rows++;
            Assert.AreEqual(1.0, reader.GetDouble(6), 0.01, "edge_ratio");
        }

        Assert.AreEqual(4, rows);
    }
}
