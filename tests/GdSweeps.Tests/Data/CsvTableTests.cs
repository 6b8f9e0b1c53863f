using GdSweeps.Configs;
using GdSweeps.Data;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Data;

[TestClass]
public sealed class CsvTableTests
{
    private static string Write(string text)
    {
        var path = Path.Combine(Some.TempDir(), "data.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static IReadOnlyList<DataError> Errors(string text, bool drop = false, string[]? x = null) =>
        Assert.ThrowsExactly<DataException>(() => CsvTable.Load("d", Write(text), x ?? ["a"], "y", drop)).Errors;

    [TestMethod]
    public void Reads_the_named_columns_in_row_order()
    {
        var d = CsvTable.Load("d", Write("a,b,y\n1,10,2\n2,20,4\n"), ["b", "a"], "y", dropMissing: false);

        Assert.AreEqual(2, d.Features);
        CollectionAssert.AreEqual(new[] { 10.0, 1, 20, 2 }, d.X);
        CollectionAssert.AreEqual(new[] { 2.0, 4 }, d.Y);
        CollectionAssert.AreEqual(new[] { "b", "a" }, d.FeatureNames.ToArray());
    }

    [TestMethod]
    public void Quoted_cells_and_mixed_line_endings_are_read()
    {
        var d = CsvTable.Load("d", Write("\"a\",y\r\n\"1.5\",2\n3,\"4\"\r5,6"), ["a"], "y", dropMissing: false);

        CollectionAssert.AreEqual(new[] { 1.5, 3, 5 }, d.X);
        CollectionAssert.AreEqual(new[] { 2.0, 4, 6 }, d.Y);
    }

    [TestMethod]
    public void A_missing_value_is_an_error_naming_line_and_column()
    {
        var errors = Errors("a,y\n1,2\n,4\n3,NA\n");

        Assert.HasCount(2, errors);
        StringAssert.Contains(errors[0].ToString(), "data.csv:3:1: a: missing value");
        StringAssert.Contains(errors[1].ToString(), "data.csv:4:2: y: missing value");
    }

    [TestMethod]
    public void Rows_with_a_missing_value_are_dropped_when_asked()
    {
        var d = CsvTable.Load("d", Write("a,y\n1,2\n,4\n3,NA\n5,6\n"), ["a"], "y", dropMissing: true);

        CollectionAssert.AreEqual(new[] { 1.0, 5 }, d.X);
    }

    [TestMethod]
    public void A_non_numeric_cell_is_an_error_naming_line_and_column()
    {
        var errors = Errors("a,y\n1,2\n3,four\n");

        Assert.AreEqual("data.csv:3:2: y: 'four' is not a finite number", errors[0].ToString()[^"data.csv:3:2: y: 'four' is not a finite number".Length..]);
    }

    [TestMethod]
    public void A_missing_column_is_an_error_listing_the_header()
    {
        var errors = Errors("a,y\n1,2\n", x: ["b"]);

        StringAssert.Contains(errors[0].Message, "no column 'b'; the header has: a, y");
        Assert.AreEqual(1L, errors[0].Line);
    }

    [TestMethod]
    public void An_empty_file_and_a_header_only_file_are_errors()
    {
        StringAssert.Contains(Errors("")[0].Message, "empty");
        StringAssert.Contains(Errors("a,y\n")[0].Message, "no data rows");
    }

    [TestMethod]
    public void A_missing_file_is_an_error()
    {
        var e = Assert.ThrowsExactly<DataException>(() => CsvTable.Load("d", "/nonexistent/x.csv", ["a"], "y", false));

        StringAssert.Contains(e.Errors[0].Message, "cannot read");
    }
}
