namespace GdSweeps.Data;

/// <summary>
/// One row of a CSV file as read: where it starts, how many cells it has, and the text of the cells asked for.
/// </summary>
/// <remarks>The kept text lives in one buffer reused row after row, so reading a row allocates nothing.</remarks>
internal sealed class CsvRow
{
    private readonly List<(int Column, int Start, int Length)> cells = [];
    private char[] chars = new char[256];

    /// <summary>The line the row starts on (a quoted cell may span lines).</summary>
    public long Line { get; set; }

    /// <summary>The number of cells in the row, kept or not.</summary>
    public int Count { get; set; }

    /// <summary>The number of cells kept.</summary>
    public int Kept => cells.Count;

    /// <summary>The characters kept in this row so far.</summary>
    public int Length { get; private set; }

    /// <summary>The column (0-based) of kept cell <paramref name="i"/>.</summary>
    public int Column(int i) => cells[i].Column;

    /// <summary>
    /// Kept cell <paramref name="i"/> was longer than <see cref="CsvReader.MaxCellChars"/>, so its text was not kept.
    /// </summary>
    public bool TooLong(int i) => cells[i].Length < 0;

    public ReadOnlySpan<char> Text(int i) => chars.AsSpan(cells[i].Start, Math.Max(cells[i].Length, 0));

    internal void Clear()
    {
        cells.Clear();
        Length = 0;
    }

    internal void Append(char c)
    {
        if (Length == chars.Length)
        {
            Array.Resize(ref chars, chars.Length * 2);
        }

        chars[Length++] = c;
    }

    /// <summary>
    /// Keeps the characters appended since <paramref name="start"/> as the cell of <paramref name="column"/>.
    /// </summary>
    internal void EndCell(int column, int start, bool tooLong) => cells.Add((column, start, tooLong ? -1 : Length - start));

    /// <summary>Forgets the characters appended since <paramref name="start"/> (a blank line's spaces).</summary>
    internal void Drop(int start) => Length = start;
}
