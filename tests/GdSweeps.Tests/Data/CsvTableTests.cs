using System.Diagnostics;
using System.Text;
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
    public void A_missing_file_is_an_error_about_the_file_without_a_position()
    {
        var e = Assert.ThrowsExactly<DataException>(() => CsvTable.Load("d", "/nonexistent/x.csv", ["a"], "y", false));

        StringAssert.StartsWith(e.Errors.Single().ToString(), "/nonexistent/x.csv: cannot read the CSV file: ");
    }

    [TestMethod]
    public void A_header_with_a_duplicated_name_is_an_error_naming_both_columns()
    {
        var errors = Errors("x,x,y\n1,2,3\n", x: ["x"]);

        Assert.AreEqual("x: columns 1 and 2 are both named 'x'", $"{errors.Single().Key}: {errors.Single().Message}");
        Assert.AreEqual((1L, 2L), (errors[0].Line, errors[0].Column));
    }

    [TestMethod]
    [DataRow("x,y\n1,2\n3,000,6\n", 3L, 3L, "the row has 3 cells but the header has 2")]
    [DataRow("x,y\n1,2\n3\n", 3L, 2L, "the row has 1 cells but the header has 2")]
    [DataRow("x,y\n1,2\n3,4,\n", 3L, 3L, "the row has 3 cells but the header has 2")]
    public void A_row_with_more_or_fewer_cells_than_the_header_is_an_error_at_its_line(string csv, long line, long column, string message)
    {
        var errors = Errors(csv, x: ["x"]);

        Assert.AreEqual((line, column, message), (errors.Single().Line, errors.Single().Column, errors.Single().Message));
    }

    [TestMethod]
    public void Blank_lines_are_skipped_and_counted()
    {
        var d = CsvTable.Load("d", Write("x,y\n\n1,2\n   \n3,4\n\n"), ["x"], "y", dropMissing: false);
        var errors = Errors("x,y\n\n1,2\n\n3,four\n", x: ["x"]);

        CollectionAssert.AreEqual(new[] { 1.0, 3 }, d.X);
        Assert.AreEqual(5L, errors.Single().Line);
    }

    [TestMethod]
    public void A_quote_that_never_closes_is_an_error_at_its_line()
    {
        var errors = Errors("a,y\n1,2\n3,\"4\n5,6\n");

        Assert.IsTrue(errors.Any(e => e.Line == 3 && e.Message == "a quote opened on this line is never closed"), string.Join("\n", errors));
    }

    [TestMethod]
    public void A_file_with_many_bad_rows_lists_twenty_and_counts_the_rest()
    {
        var errors = Errors("a,y\n" + string.Concat(Enumerable.Repeat("1,x\n", 30)));

        Assert.HasCount(21, errors);
        Assert.AreEqual("10 more errors from here on are not listed", errors[^1].Message);
        Assert.AreEqual(22L, errors[^1].Line);
    }

    [TestMethod]
    public void Errors_that_may_not_quote_the_file_say_what_is_wrong_without_its_text()
    {
        var path = Write("secret,hidden,y\nhunter2,1,2\n");
        var quiet = new CsvOptions { QuoteText = false };
        IReadOnlyList<DataError> Errors(string x, string text = "") =>
            Assert.ThrowsExactly<DataException>(() => CsvTable.Load("d", text.Length > 0 ? Write(text) : path, [x], "y", quiet)).Errors;

        var missing = Errors("area");
        var cell = Errors("secret");
        var twice = Errors("secret", "secret,secret,y\n1,2,3\n");

        Assert.AreEqual("no column 'area' in the header", missing.Single().Message);
        Assert.AreEqual("not a finite number", cell.Single().Message);
        Assert.AreEqual("columns 1 and 2 have the same name", twice.Single().Message);
        foreach (var error in missing.Concat(cell).Concat(twice))
        {
            Assert.DoesNotContain("hunter2", error.ToString());
            Assert.DoesNotContain("hidden", error.ToString());
        }
    }

    [TestMethod]
    public void A_file_over_the_size_limit_is_an_error_before_it_is_read()
    {
        var path = Write("x,y\n" + string.Concat(Enumerable.Repeat("1,2\n", 600_000)));

        var e = Assert.ThrowsExactly<DataException>(() => CsvTable.Load("d", path, ["x"], "y", new CsvOptions { MaxBytes = 1 << 20 }));

        Assert.AreEqual($"{path}: the file has 2.3 MiB, over the size limit of 1 MiB", e.Errors.Single().ToString());
    }

    [TestMethod]
    public void A_stream_that_passes_the_size_limit_stops_there_with_a_located_error()
    {
        using var endless = new EndlessCsv();

        var e = Assert.ThrowsExactly<DataException>(() => CsvTable.Read("d", "endless.csv", endless, ["x"], "y", new CsvOptions { MaxBytes = 1 << 20 }, default));

        // 4 bytes a line: the header and 262,143 rows fill the MiB; the next byte passes it.
        Assert.AreEqual("endless.csv:262145:1: : the file passes the size limit of 1 MiB here; reading stopped", e.Errors.Single().ToString());
        Assert.IsLessThan((1 << 20) + (1 << 17), endless.Position);
    }

    [TestMethod]
    public void A_long_read_stops_when_cancelled()
    {
        using var endless = new EndlessCsv();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsExactly<OperationCanceledException>(() => CsvTable.Read("d", "endless.csv", endless, ["x"], "y", new CsvOptions { MaxBytes = long.MaxValue }, cancel.Token));

        Assert.IsLessThan(TimeSpan.FromSeconds(2), clock.Elapsed);
    }

    [TestMethod]
    public void A_device_is_not_a_regular_file_and_is_refused_at_once()
    {
        var clock = Stopwatch.StartNew();

        var e = Assert.ThrowsExactly<DataException>(() => CsvTable.Load("d", "/dev/zero", ["x"], "y", false));

        Assert.AreEqual("/dev/zero: not a regular file (a FIFO, a device or a socket); a CSV dataset must be a file", e.Errors.Single().ToString());
        Assert.IsLessThan(TimeSpan.FromSeconds(1), clock.Elapsed);
    }

    [TestMethod]
    [TestCategory(TestTiers.Process)]
    public void A_fifo_is_not_a_regular_file_and_is_refused_without_waiting_for_a_writer()
    {
        var path = Path.Combine(Some.TempDir(), "pipe.csv");
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
            Assert.AreEqual(0, mkfifo.ExitCode);
        }

        var load = Task.Run(() => Assert.ThrowsExactly<DataException>(() => CsvTable.Load("d", path, ["x"], "y", false)));

        Assert.IsTrue(load.Wait(TimeSpan.FromSeconds(5)), "the read blocked on the FIFO");
        StringAssert.Contains(load.Result.Errors.Single().Message, "not a regular file");
    }

    [TestMethod]
    public void Memory_follows_the_kept_columns_not_the_file()
    {
        var rows = 150_000;
        var line = string.Join(",", Enumerable.Range(0, 30).Select(j => $"{j}.25").Append("7.5"));
        var text = new StringBuilder(string.Join(",", Enumerable.Range(0, 30).Select(j => $"c{j}").Append("y")) + "\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(line).Append('\n');
        }

        var path = Write(text.ToString());
        var size = new FileInfo(path).Length;
        CsvTable.Load("warm", Write("c3,y\n1,2\n"), ["c3"], "y", false);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var d = CsvTable.Load("d", path, ["c3"], "y", false);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The kept values are 16 bytes a row; growing lists and the final arrays take a few times that.
        var kept = rows * 2L * sizeof(double);
        Assert.AreEqual(rows, d.Count);
        Assert.IsLessThan(6 * kept + (1 << 20), allocated, $"allocated {allocated:N0} bytes for {kept:N0} kept from {size:N0}");
        Assert.IsLessThan(size / 2, allocated);
    }

    /// <summary>A CSV stream without end: a header, then "1,2" rows for ever.</summary>
    private sealed class EndlessCsv : Stream
    {
        private static readonly byte[] Header = Encoding.ASCII.GetBytes("x,y\n");
        private static readonly byte[] Row = Encoding.ASCII.GetBytes("1,2\n");
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++, position++)
            {
                buffer[offset + i] = position < Header.Length ? Header[position] : Row[(position - Header.Length) % Row.Length];
            }

            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
