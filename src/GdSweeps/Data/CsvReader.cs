using System.Text;

namespace GdSweeps.Data;

/// <summary>
/// Reads a CSV stream row by row, keeping the text of the wanted cells only, so memory does not grow with the file:
/// quoted cells may hold commas, quotes ("") and line breaks; \n, \r\n and \r all end a row; blank lines are skipped.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    /// <summary>
    /// No number or column name is this long; a longer cell is not kept, so one endless line costs no memory.
    /// </summary>
    public const int MaxCellChars = 4096;

    /// <summary>
    /// The most cells one row may keep: only the header keeps every cell, and its names must fit in memory.
    /// </summary>
    public const int MaxKeptCells = 1 << 20;

    /// <summary>The most characters one row may keep.</summary>
    public const int MaxKeptChars = 1 << 24;

    private readonly LimitedStream limited;
    private readonly StreamReader text;
    private readonly CancellationToken ct;
    private readonly char[] buffer = new char[1 << 16];
    private int length, at;
    private long line = 1;
    private bool skipLineFeed;

    public CsvReader(Stream stream, long maxBytes, CancellationToken ct)
    {
        limited = new LimitedStream(stream, maxBytes);
        text = new StreamReader(limited, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        this.ct = ct;
    }

    /// <summary>The file passed the size limit; reading stopped at <see cref="StoppedAt"/>.</summary>
    public bool LimitPassed => limited.Passed;

    /// <summary>
    /// A row kept more than <see cref="MaxKeptCells"/> cells or <see cref="MaxKeptChars"/> characters; reading stopped
    /// at <see cref="StoppedAt"/>.
    /// </summary>
    public bool TooWide { get; private set; }

    /// <summary>Where reading stopped early: the line, and the cell (1-based) being read.</summary>
    public (long Line, long Column) StoppedAt { get; private set; }

    /// <summary>
    /// The line of a quote that was never closed (it ran to the end of the file); 0 when every quote closed.
    /// </summary>
    public long UnclosedQuoteLine { get; private set; }

    /// <summary>Closes the reader, not the stream under it.</summary>
    public void Dispose()
    {
        text.Dispose();
        limited.Dispose();
    }

    /// <summary>
    /// Reads the next row that is not blank into <paramref name="row"/>, keeping the cells <paramref name="keep"/> asks
    /// for;
    /// false at the end of the file, or when reading stopped early (<see cref="LimitPassed"/>, <see cref="TooWide"/>).
    /// </summary>
    public bool Next(CsvRow row, Func<int, bool> keep)
    {
        row.Clear();
        row.Line = line;
        var column = 0;
        var start = 0;
        var cellLength = 0;
        var kept = keep(0);
        var any = false;
        var quoted = false;
        var afterQuote = false;
        while (true)
        {
            if (at == length && !Fill())
            {
                if (LimitPassed)
                {
                    StoppedAt = (line, column + 1);
                    return false;
                }

                if (quoted && !afterQuote)
                {
                    UnclosedQuoteLine = row.Line;
                }

                return any && EndRow();
            }

            var c = buffer[at++];
            if (skipLineFeed)
            {
                skipLineFeed = false;
                if (c == '\n')
                {
                    continue;
                }
            }

            if (quoted)
            {
                if (afterQuote && c == '"')
                {
                    afterQuote = false;
                    Append(c);
                    continue;
                }

                if (!afterQuote)
                {
                    if (c == '"')
                    {
                        afterQuote = true;
                    }
                    else
                    {
                        CountLineBreak(c);
                        Append(c);
                    }

                    continue;
                }

                // The quote before this character closed the quoted part; read it as any other.
                quoted = afterQuote = false;
            }

            switch (c)
            {
                case '"':
                    quoted = any = true;
                    break;
                case ',':
                    if (!EndCell())
                    {
                        return false;
                    }

                    column++;
                    start = row.Length;
                    cellLength = 0;
                    kept = keep(column);
                    any = true;
                    break;
                case '\r' or '\n':
                    CountLineBreak(c);
                    if (any)
                    {
                        return EndRow();
                    }

                    // A blank line (or only spaces): skipped.
                    row.Drop(start);
                    row.Line = line;
                    cellLength = 0;
                    break;
                default:
                    Append(c);
                    any |= !char.IsWhiteSpace(c);
                    break;
            }
        }

        void Append(char c)
        {
            if (kept && cellLength < MaxCellChars)
            {
                row.Append(c);
            }

            cellLength++;
        }

        bool EndCell()
        {
            if (kept)
            {
                row.EndCell(column, start, cellLength > MaxCellChars);
                if (row.Kept > MaxKeptCells || row.Length > MaxKeptChars)
                {
                    TooWide = true;
                    StoppedAt = (row.Line, column + 1);
                    return false;
                }
            }

            return true;
        }

        bool EndRow()
        {
            row.Count = column + 1;
            return EndCell();
        }
    }

    private void CountLineBreak(char c)
    {
        if (c is '\r' or '\n')
        {
            line++;
            skipLineFeed = c == '\r';
        }
    }

    private bool Fill()
    {
        // Every 64 Ki characters, a few thousand rows: Ctrl-C stops a long read within milliseconds.
        ct.ThrowIfCancellationRequested();
        length = text.Read(buffer, 0, buffer.Length);
        at = 0;
        return length > 0;
    }
}
