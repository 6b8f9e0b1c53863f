using GdSweeps.Analysis;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Results;

/// <summary>
/// docs/results-schema.md lists every stored column as the code declares it: name, type, meaning and what null means.
/// </summary>
[TestClass]
public sealed class SchemaDocTests
{
    /// <summary>
    /// Each table by the heading of its section, a command trainer's sweep's own columns and patterns of columns too.
    /// </summary>
    public static IEnumerable<object[]> Tables => Sections.Select(s => new object[] { s.Heading });

    private static IEnumerable<(string Heading, IEnumerable<Column> Columns)> Sections =>
    [
        ("## `runs/`", (IEnumerable<Column>)[.. RunColumns.Ids, RunColumns.LearningRate, .. RunColumns.Outcome]),
        ("## The axes' columns", AxisColumns()),
        ("## The built-in models' `runs/`", BuiltinColumns.All),
        ("## `curves/`", CurveColumns.All),
        ("## `summary.parquet`", SummaryFiles.SummaryFigures.Except(SummaryFiles.CommandSummaryColumns)),
        ("## `transfer.parquet`", SummaryFiles.TransferFigures),
        ("## A command trainer's `runs/`", (IEnumerable<Column>)[.. CommandColumns.All, CommandColumns.Patterns[1]]),
        ("## A command trainer's `curves/`", (IEnumerable<Column>)[.. CommandCurveColumns.All, .. CommandCurveColumns.Patterns]),
        ("## A command trainer's `summary.parquet`", (IEnumerable<Column>)[CommandColumns.Patterns[0], .. SummaryFiles.CommandSummaryColumns]),
    ];

    /// <summary>
    /// Every registered axis's columns, as each declares them, then the pattern of the user's parameters'.
    /// </summary>
    private static List<Column> AxisColumns() =>
    [
        .. SweepAxes.All.SelectMany(a => a.Store.Columns).Select(c => Columns.Boxed<RunResult>(c.Name, c.Type, _ => null, c.Meaning, c.NullMeans)),
        CommandColumns.Patterns[0],
    ];

    [TestMethod]
    [DynamicData(nameof(Tables))]
    public void The_schema_doc_lists_each_column_as_declared(string heading)
    {
        var columns = Sections.Single(s => s.Heading == heading).Columns;
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
