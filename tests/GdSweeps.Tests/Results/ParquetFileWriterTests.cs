using DuckDB.NET.Data;
using GdSweeps.Results;
using GdSweeps.Tests.Support;
using Parquet;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Tests.Results;

/// <summary>
/// GdSweeps' Parquet writer against two independent readers (Parquet.Net and DuckDB): every stored type, required and
/// optional, plain, dictionary and byte-stream-split pages, row groups of every size around the encodings' block of 8.
/// </summary>
[TestClass]
public sealed class ParquetFileWriterTests
{
    private sealed record Row(int I);

    // Names of the curves' split columns ("loss", "gradient_norm") make those doubles byte stream split.
    private static readonly RowColumn<Row>[] AllTypes =
    [
        Text<Row>("text", _ => "", "required string"),
        OptionalText<Row>("maybe_text", _ => null, "optional string", "null"),
        Value<Row, int>("int32", _ => 0, "required int32"),
        Optional<Row, int>("maybe_int32", _ => null, "optional int32", "null"),
        Value<Row, long>("int64", _ => 0, "required int64"),
        Optional<Row, long>("maybe_int64", _ => null, "optional int64", "null"),
        Value<Row, double>("double", _ => 0, "required double"),
        Optional<Row, double>("maybe_double", _ => null, "optional double", "null"),
        Value<Row, double>("loss", _ => 0, "split double"),
        Optional<Row, double>("gradient_norm", _ => null, "optional split double", "null"),
        Value<Row, bool>("bool", _ => false, "required boolean"),
        Optional<Row, bool>("maybe_bool", _ => null, "optional boolean", "null"),
    ];

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(1, 1)]
    [DataRow(7, 2)]
    [DataRow(8, 3)]
    [DataRow(9, 4)]
    [DataRow(1000, 5)]
    [DataRow(20_000, 6)]
    public async Task Parquet_Net_reads_back_every_value_bit_for_bit_whatever_the_encoding(int rows, int seed)
    {
        foreach (var runs in new[] { 1, 3, 40 })
        {
            var chunk = Values(rows, runs, new Random(seed * 100 + runs));
            var path = Path.Combine(Some.TempDir(), "t.parquet");
            var table = new Table<Row>(AllTypes, new Dictionary<string, string> { ["key"] = "väl\"ue" });
            await using (var file = File.Create(path))
            {
                await table.WriteAsync(file, chunk, CancellationToken.None, rowGroup: 4096);
            }

            var read = await table.ReadAsync(path);
            Assert.HasCount(Math.Max(1, (rows + 4095) / 4096), read);
            var back = read.Count == 1 ? read[0] : Chunk<Row>.Gather([.. read.SelectMany(c => Enumerable.Range(0, c.Count).Select(r => (c, r)))]);
            Assert.AreEqual(rows, back.Count);
            foreach (var column in AllTypes)
            {
                var expected = chunk.Stored(column);
                var actual = back.Stored(column);
                for (var i = 0; i < rows; i++)
                {
                    Assert.AreEqual(Bits(expected.GetValue(i)), Bits(actual.GetValue(i)), $"{column.Name}, row {i} of {rows} (runs of {runs})");
                }
            }

            var stored = await Tables.OfFileAsync<Row>(path, CancellationToken.None);
            Assert.AreEqual("väl\"ue", stored.Metadata["key"]);
            CollectionAssert.AreEqual(AllTypes.Select(c => (c.Name, c.Type)).ToList(), stored.Columns.Select(c => (c.Name, c.Type)).ToList());
        }
    }

    [TestMethod]
    public async Task The_integer_columns_statistics_give_each_row_group_s_range_and_nulls()
    {
        var chunk = Values(10_000, 5, new Random(7));
        var path = Path.Combine(Some.TempDir(), "t.parquet");
        await using (var file = File.Create(path))
        {
            await new Table<Row>(AllTypes).WriteAsync(file, chunk, CancellationToken.None, rowGroup: 3000);
        }

        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.AreEqual(4, reader.RowGroupCount);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = Enumerable.Range(3000 * g, (int)group.RowCount).ToList();
            var longs = (long[])chunk.Stored("int64");
            var stats = group.GetStatistics(reader.Schema.DataFields.Single(f => f.Name == "int64"))!;
            Assert.AreEqual(rows.Min(r => longs[r]), stats.MinValue);
            Assert.AreEqual(rows.Max(r => longs[r]), stats.MaxValue);

            var ints = (int?[])chunk.Stored("maybe_int32");
            var maybe = group.GetStatistics(reader.Schema.DataFields.Single(f => f.Name == "maybe_int32"))!;
            Assert.AreEqual(rows.Min(r => ints[r]), maybe.MinValue);
            Assert.AreEqual(rows.Max(r => ints[r]), maybe.MaxValue);
            Assert.AreEqual(rows.LongCount(r => ints[r] is null), maybe.NullCount);
        }
    }

    [TestMethod]
    public async Task DuckDB_reads_the_same_values()
    {
        const int rows = 5000;
        var chunk = Values(rows, 3, new Random(11));
        var path = Path.Combine(Some.TempDir(), "t.parquet");
        await using (var file = File.Create(path))
        {
            await new Table<Row>(AllTypes).WriteAsync(file, chunk, CancellationToken.None, rowGroup: 2048);
        }

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", AllTypes.Select(c => c.Name))} FROM '{path}'";
        using var reader = command.ExecuteReader();
        for (var i = 0; i < rows; i++)
        {
            Assert.IsTrue(reader.Read());
            for (var c = 0; c < AllTypes.Length; c++)
            {
                var expected = chunk.Stored(AllTypes[c]).GetValue(i);
                var actual = reader.IsDBNull(c) ? null : reader.GetValue(c);
                Assert.AreEqual(Bits(expected), Bits(actual), $"{AllTypes[c].Name}, row {i}");
            }
        }

        Assert.IsFalse(reader.Read());
    }

    /// <summary>
    /// Columns of <paramref name="rows"/> values in runs of about <paramref name="runs"/> equal values (1: every
    /// value new, so plain pages; 40: dictionary pages), with nulls in runs too, and the doubles that tell encodings
    /// apart: NaN, both zeros, infinities, subnormals.
    /// </summary>
    private static Chunk<Row> Values(int rows, int runs, Random random)
    {
        double[] specials = [double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, 1e308, -1.5];
        string[] texts = ["", "a", "converged", "ünïcödé ✓", new string('x', 300)];
        var chunk = new Chunk<Row>(rows);
        var next = Sequence(rows, runs, random);
        var nulls = Sequence(rows, runs, random);
        bool Null(int i) => nulls[i] % 3 == 0;
        double D(int i) => next[i] % 5 == 0 ? specials[next[i] % specials.Length] : next[i] * 1.000001 - 7;
        chunk.Set(AllTypes[0], Enumerable.Range(0, rows).Select(i => texts[next[i] % texts.Length] + next[i]).ToArray());
        chunk.Set(AllTypes[1], Enumerable.Range(0, rows).Select(i => Null(i) ? null : texts[next[i] % texts.Length]).ToArray());
        chunk.Set(AllTypes[2], Enumerable.Range(0, rows).Select(i => next[i] - 1000).ToArray());
        chunk.Set(AllTypes[3], Enumerable.Range(0, rows).Select(i => Null(i) ? (int?)null : int.MinValue + next[i]).ToArray());
        chunk.Set(AllTypes[4], Enumerable.Range(0, rows).Select(i => (long)next[i] << 40).ToArray());
        chunk.Set(AllTypes[5], Enumerable.Range(0, rows).Select(i => Null(i) ? (long?)null : long.MaxValue - next[i]).ToArray());
        chunk.Set(AllTypes[6], Enumerable.Range(0, rows).Select(D).ToArray());
        chunk.Set(AllTypes[7], Enumerable.Range(0, rows).Select(i => Null(i) ? (double?)null : D(i)).ToArray());
        chunk.Set(AllTypes[8], Enumerable.Range(0, rows).Select(i => D(i) + random.NextDouble()).ToArray());
        chunk.Set(AllTypes[9], Enumerable.Range(0, rows).Select(i => Null(i) ? (double?)null : D(i) * random.NextDouble()).ToArray());
        chunk.Set(AllTypes[10], Enumerable.Range(0, rows).Select(i => next[i] % 2 == 0).ToArray());
        chunk.Set(AllTypes[11], Enumerable.Range(0, rows).Select(i => Null(i) ? (bool?)null : next[i] % 3 == 0).ToArray());
        return chunk;
    }

    /// <summary>Values that stay the same for a random stretch of about <paramref name="runs"/> rows.</summary>
    private static int[] Sequence(int rows, int runs, Random random)
    {
        var values = new int[rows];
        var value = random.Next(1000);
        for (var i = 0; i < rows; i++)
        {
            if (random.Next(runs) == 0)
            {
                value = random.Next(runs == 1 ? 1_000_000 : 50);
            }

            values[i] = value;
        }

        return values;
    }

    private static object? Bits(object? value) => value switch
    {
        double d => BitConverter.DoubleToInt64Bits(d),
        _ => value,
    };
}
