using DuckDB.NET.Data;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Results;

/// <summary>An independent Parquet reader (DuckDB) sees what the runner wrote.</summary>
[TestClass]
public sealed class DuckDbReadTests
{
    [TestMethod]
    [DataRow(null)]
    [DataRow(37)]
    public async Task DuckDB_reads_the_runs_folder_as_one_table_and_counts_as_the_runner_does(int? batchSize)
    {
        var dir = await Some.SweepAsync(Some.Config(), batchSize: batchSize);
        var runs = await Stored.RunsAsync(dir);

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT count(*),
                   count(*) FILTER (WHERE status = 'diverged'),
                   count(*) FILTER (WHERE clip IS NULL),
                   CAST(sum(steps_run) AS BIGINT),
                   max(lr_crit),
                   min(initial_gradient)
            FROM '{Path.Combine(dir, "runs", "*.parquet")}'
            """;
        using var reader = command.ExecuteReader();
        Assert.IsTrue(reader.Read());

        Assert.AreEqual(400, runs.Count);
        Assert.HasCount(batchSize is null ? 1 : 11, Stored.Parts(dir));
        Assert.AreEqual(runs.Count, reader.GetInt64(0));
        Assert.AreEqual(runs.Count(r => r.Status == "diverged"), reader.GetInt64(1));
        Assert.AreEqual(100L, reader.GetInt64(2));
        Assert.AreEqual(runs.Sum(r => (long)r.StepsRun), reader.GetInt64(3));
        Assert.AreEqual(runs.Max(r => r.LrCrit)!.Value, reader.GetDouble(4));
        Assert.AreEqual(-10001.0, reader.GetDouble(5));
    }

    [TestMethod]
    public async Task DuckDB_reads_the_curves_of_a_run()
    {
        var dir = await Some.SweepAsync(Some.Config());

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT c.step, c.loss FROM '{Path.Combine(dir, "curves", "*.parquet")}' c
            JOIN '{Path.Combine(dir, "runs", "*.parquet")}' r USING (run_index)
            WHERE r.run_index = 0 ORDER BY c.step LIMIT 1
            """;
        using var reader = command.ExecuteReader();
        Assert.IsTrue(reader.Read());

        Assert.AreEqual(0, reader.GetInt32(0));
        Assert.AreEqual(5000.5, reader.GetDouble(1));
    }
}
