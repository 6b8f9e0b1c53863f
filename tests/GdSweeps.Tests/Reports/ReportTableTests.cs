using GdSweeps.Reports;

namespace GdSweeps.Tests.Reports;

/// <summary>A report's table shows at most a thousand rows and says where the rest are.</summary>
[TestClass]
public sealed class ReportTableTests
{
    private static ReportTable Table(int rows) =>
        new(["group", "lr"], [.. Enumerable.Range(0, rows).Select(i => (IReadOnlyList<Cell>)[Cell.Words($"row{i}"), Cell.Of(i / 1000.0)])], ["† a note"]);

    [TestMethod]
    [DataRow(1)]
    [DataRow(ReportTable.MaxRows)]
    public void A_table_of_up_to_the_limit_shows_every_row_and_no_note_about_rows(int rows)
    {
        var (md, html) = (Table(rows).Markdown(), Table(rows).Html());

        Assert.AreEqual(rows, md.Split('\n').Count(l => l.StartsWith("| row", StringComparison.Ordinal)));
        Assert.AreEqual(rows, html.Split("<tr>").Length - 2);
        Assert.DoesNotContain("rows of", md);
        StringAssert.Contains(md, "† a note");
    }

    [TestMethod]
    [DataRow(ReportTable.MaxRows + 1)]
    [DataRow(10_000)]
    public void A_longer_table_shows_the_first_rows_and_says_how_many_are_left_out_and_where(int rows)
    {
        var (md, html) = (Table(rows).Markdown(), Table(rows).Html());

        var shown = md.Split('\n').Where(l => l.StartsWith("| row", StringComparison.Ordinal)).ToList();
        Assert.HasCount(ReportTable.MaxRows, shown);
        Assert.StartsWith("| row0 |", shown[0]);
        Assert.StartsWith($"| row{ReportTable.MaxRows - 1} |", shown[^1]);
        Assert.AreEqual(ReportTable.MaxRows, html.Split("<tr>").Length - 2);
        var note = $"The first {ReportTable.MaxRows:N0} rows of {rows:N0}: summary.parquet and transfer.parquet beside this report hold every one";
        StringAssert.Contains(md, note);
        StringAssert.Contains(md, "† a note");
        StringAssert.Contains(html, "summary.parquet");
    }
}
