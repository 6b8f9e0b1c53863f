using System.Globalization;

namespace GdSweeps.Data;

/// <summary>
/// Reads numeric columns from a CSV file with a header row, reporting bad cells by file, line and column.
/// </summary>
/// <remarks>
/// The file is streamed: only the wanted columns are kept, as numbers, so memory follows the data a sweep uses rather
/// than the file's size. A row with more or fewer cells than the header is an error rather than a guess: <c>3,000,6</c>
/// under <c>x,y</c> is a thousands separator, and reading it as x = 3, y = 0 would fit the wrong data without a word.
/// </remarks>
internal static class CsvTable
{
    /// <summary>Errors listed per file; a file with thousands of bad rows says how many more there are.</summary>
    private const int ListedErrors = 20;

    private static readonly HashSet<string> MissingMarks = new(StringComparer.OrdinalIgnoreCase) { "", "na", "nan", "null", "none", "n/a" };

    /// <summary>The missing marks, looked up by a cell's characters without making a string of them.</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Missing = MissingMarks.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Loads <paramref name="xColumns"/> and <paramref name="yColumn"/>; rows with a missing value are an error, or
    /// dropped when <paramref name="dropMissing"/>.
    /// </summary>
    /// <exception cref="DataException">The file is missing, not a regular file, too large, empty, lacks a column, has a
    /// duplicated header name, a row of the wrong length, or a non-numeric or (unless dropped) missing
    /// value.</exception>
    public static Dataset Load(string name, string path, IReadOnlyList<string> xColumns, string yColumn, bool dropMissing, CancellationToken ct = default) =>
        Load(name, path, xColumns, yColumn, new CsvOptions { DropMissing = dropMissing }, ct);

    /// <inheritdoc cref="Load(string, string, IReadOnlyList{string}, string, bool, CancellationToken)"/>
    public static Dataset Load(string name, string path, IReadOnlyList<string> xColumns, string yColumn, CsvOptions options, CancellationToken ct = default)
    {
        if (FileKind.IsRegular(path) == false)
        {
            // Checked before opening: opening a FIFO waits for a writer, and a device such as /dev/zero never ends.
            throw FileError(path, "not a regular file (a FIFO, a device or a socket); a CSV dataset must be a file");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FileError(path, $"cannot read the CSV file: {e.Message}");
        }

        using (stream)
        {
            if (stream.CanSeek && stream.Length > options.MaxBytes)
            {
                throw FileError(path, $"the file has {Mib(stream.Length)} MiB, over the size limit of {Mib(options.MaxBytes)} MiB");
            }

            try
            {
                return Read(name, path, stream, xColumns, yColumn, options, ct);
            }
            catch (IOException e)
            {
                throw FileError(path, $"cannot read the CSV file: {e.Message}");
            }
        }
    }

    /// <summary>Reads a dataset from <paramref name="stream"/>, named <paramref name="path"/> in errors.</summary>
    internal static Dataset Read(string name, string path, Stream stream, IReadOnlyList<string> xColumns, string yColumn, CsvOptions options, CancellationToken ct)
    {
        using var reader = new CsvReader(stream, options.MaxBytes, ct);
        var errors = new ErrorList();
        var row = new CsvRow();
        if (!reader.Next(row, _ => true))
        {
            throw new DataException(
                reader.TooWide ? new DataError(path, reader.StoppedAt.Line, reader.StoppedAt.Column, "", $"the header is too long to read: more than {CsvReader.MaxKeptCells} columns or {CsvReader.MaxKeptChars} characters")
                : reader.LimitPassed ? LimitError(path, reader, options)
                : new DataError(path, 1, 1, "", "the CSV file is empty; it needs a header row and data rows"));
        }

        var header = Header(path, row, options, errors);
        var headerLine = row.Line;
        int Find(string column)
        {
            var index = Array.IndexOf(header, column);
            if (index < 0)
            {
                errors.Add(new DataError(path, headerLine, 1, column, options.QuoteText
                    ? $"no column '{column}'; the header has: {string.Join(", ", header)}"
                    : $"no column '{column}' in the header"));
            }

            return index;
        }

        var wanted = xColumns.Select(Find).Append(Find(yColumn)).ToArray();
        if (errors.Any)
        {
            throw new DataException(errors.All);
        }

        // Where each column's value goes: its place among the wanted (x columns, then y), or -1 for a column not used.
        var slot = Enumerable.Repeat(-1, header.Length).ToArray();
        for (var k = wanted.Length - 1; k >= 0; k--)
        {
            slot[wanted[k]] = k;
        }

        var names = xColumns.Append(yColumn).ToArray();
        var features = xColumns.Count;
        var x = new List<double>();
        var y = new List<double>();
        var values = new double[wanted.Length];
        var rows = 0;
        Func<int, bool> used = c => c < slot.Length && slot[c] >= 0;
        while (reader.Next(row, used))
        {
            rows++;
            if (row.Count != header.Length)
            {
                errors.Add(new DataError(path, row.Line, Math.Min(row.Count, header.Length) + 1, "",
                    $"the row has {row.Count} cells but the header has {header.Length}"));
                continue;
            }

            var missing = false;
            var bad = false;
            for (var i = 0; i < row.Kept; i++)
            {
                var column = row.Column(i);
                var k = slot[column];
                var cell = row.Text(i).Trim();
                if (row.TooLong(i))
                {
                    bad = true;
                    errors.Add(new DataError(path, row.Line, column + 1, names[k], $"a cell of more than {CsvReader.MaxCellChars} characters is not a number"));
                }
                else if (Missing.Contains(cell))
                {
                    missing = true;
                    if (!options.DropMissing)
                    {
                        errors.Add(new DataError(path, row.Line, column + 1, names[k], "missing value (set 'missing: drop' to skip such rows)"));
                    }
                }
                else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
                {
                    values[k] = v;
                }
                else
                {
                    bad = true;
                    errors.Add(new DataError(path, row.Line, column + 1, names[k], options.QuoteText ? $"'{cell}' is not a finite number" : "not a finite number"));
                }
            }

            // A column asked for twice (x: a, y: a) fills two places from one cell.
            for (var k = 0; k < wanted.Length; k++)
            {
                values[k] = values[slot[wanted[k]]];
            }

            if (!missing && !bad)
            {
                x.AddRange(values.AsSpan(0, features));
                y.Add(values[^1]);
            }
        }

        if (reader.LimitPassed)
        {
            errors.Add(LimitError(path, reader, options));
        }

        if (reader.UnclosedQuoteLine > 0)
        {
            errors.Add(new DataError(path, reader.UnclosedQuoteLine, 1, "", "a quote opened on this line is never closed"));
        }

        if (errors.Any)
        {
            throw new DataException(errors.All);
        }

        if (rows == 0)
        {
            throw new DataException(new DataError(path, headerLine, 1, "", "the CSV file has a header but no data rows"));
        }

        if (y.Count == 0)
        {
            throw new DataException(new DataError(path, headerLine, 1, "", "every data row has a missing value; nothing is left"));
        }

        return new Dataset(name, [.. x], features, [.. y], xColumns);
    }

    /// <summary>
    /// The header's names; two columns of one name are an error, since which one a dataset means is a guess.
    /// </summary>
    private static string[] Header(string path, CsvRow row, CsvOptions options, ErrorList errors)
    {
        var header = new string[row.Count];
        for (var i = 0; i < row.Kept; i++)
        {
            if (row.TooLong(i))
            {
                errors.Add(new DataError(path, row.Line, row.Column(i) + 1, "", $"a header name of more than {CsvReader.MaxCellChars} characters"));
            }

            header[row.Column(i)] = row.Text(i).ToString();
        }

        var seen = new Dictionary<string, int>();
        for (var column = 0; column < header.Length; column++)
        {
            if (header[column].Length > 0 && !seen.TryAdd(header[column], column))
            {
                var first = seen[header[column]];
                errors.Add(new DataError(path, row.Line, column + 1, options.QuoteText ? header[column] : "", options.QuoteText
                    ? $"columns {first + 1} and {column + 1} are both named '{header[column]}'"
                    : $"columns {first + 1} and {column + 1} have the same name"));
            }
        }

        return header;
    }

    private static DataError LimitError(string path, CsvReader reader, CsvOptions options) =>
        new(path, reader.StoppedAt.Line, reader.StoppedAt.Column, "", $"the file passes the size limit of {Mib(options.MaxBytes)} MiB here; reading stopped");

    private static DataException FileError(string path, string message) => new(new DataError(path, 0, 0, "", message));

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The first errors of a file, and how many more there were.</summary>
    private sealed class ErrorList
    {
        private readonly List<DataError> listed = [];
        private DataError? firstUnlisted;
        private long unlisted;

        public bool Any => listed.Count > 0;

        public IReadOnlyList<DataError> All => firstUnlisted is null
            ? listed
            : [.. listed, firstUnlisted with { Key = "", Message = $"{unlisted} more errors from here on are not listed" }];

        public void Add(DataError error)
        {
            if (listed.Count < ListedErrors)
            {
                listed.Add(error);
            }
            else
            {
                firstUnlisted ??= error;
                unlisted++;
            }
        }
    }
}
