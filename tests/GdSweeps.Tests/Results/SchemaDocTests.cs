using GdSweeps.Analysis;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Results;

/// <summary>docs/results-schema.md lists every stored column as the code declares it: name, type, meaning and what null means.</summary>
[TestClass]
public sealed class SchemaDocTests
{
    /// <summary>Each table by the heading of its section, a command trainer's sweep's own columns and patterns of columns too.</summary>
    public static IEnumerable<object[]> Tables =>
    [
        ["## `runs/`", RunColumns.All],
        ["## `curves/`", CurveColumns.All],
        ["## `summary.parquet`", SummaryFiles.Summary.Columns],
        ["## `transfer.parquet`", SummaryFiles.Transfer.Columns],
        ["## A command trainer's `runs/`", (IEnumerable<Column>)[.. CommandColumns.All, .. CommandColumns.Patterns]],
        ["## A command trainer's `curves/`", (IEnumerable<Column>)[.. CommandCurveColumns.All, .. CommandCurveColumns.Patterns]],
        ["## A command trainer's `summary.parquet`", (IEnumerable<Column>)[CommandColumns.Patterns[0], .. SummaryFiles.CommandSummaryColumns]],
    ];

    [TestMethod]
    [DynamicData(nameof(Tables))]
    public void The_schema_doc_lists_each_column_as_declared(string heading, IEnumerable<Column> columns)
    {
        var file = heading;
        var doc = File.ReadAllText(Path.Combine(Some.RepoRoot, "docs", "results-schema.md"));
        var start = doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, $"docs/results-schema.md has no section {heading}");
        var end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var documented = doc[start..(end < 0 ? doc.Length : end)].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        var expected = Columns.MarkdownRows(columns).ToList();

        Assert.AreEqual(string.Join("\n", expected), string.Join("\n", documented), $"docs/results-schema.md: the {file} table should read:\n{string.Join("\n", expected)}");
    }
}
