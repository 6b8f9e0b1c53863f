using System.Globalization;
using System.Text;

namespace GdSweeps.Data;

/// <summary>Reads numeric columns from a CSV file with a header row, reporting bad cells by file, line and column.</summary>
public static class CsvTable
{
    private static readonly HashSet<string> MissingMarks = new(StringComparer.OrdinalIgnoreCase) { "", "na", "nan", "null", "none", "n/a" };

    /// <summary>Loads <paramref name="xColumns"/> and <paramref name="yColumn"/>; rows with a missing value are an error, or dropped when <paramref name="dropMissing"/>.</summary>
    /// <exception cref="DataException">The file is missing, empty, lacks a column, or has a non-numeric or (unless dropped) missing value.</exception>
    public static Dataset Load(string name, string path, IReadOnlyList<string> xColumns, string yColumn, bool dropMissing)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException(new DataError(path, 0, 0, "", $"cannot read the CSV file: {e.Message}"));
        }

        var rows = Parse(text);
        if (rows.Count == 0)
        {
            throw new DataException(new DataError(path, 1, 1, "", "the CSV file is empty; it needs a header row and data rows"));
        }

        var header = rows[0].Cells;
        var errors = new List<DataError>();
        int Find(string column)
        {
            var index = header.IndexOf(column);
            if (index < 0)
            {
                errors.Add(new DataError(path, rows[0].Line, 1, column, $"no column '{column}'; the header has: {string.Join(", ", header)}"));
            }

            return index;
        }

        var xIndex = xColumns.Select(Find).ToArray();
        var yIndex = Find(yColumn);
        if (errors.Count > 0)
        {
            throw new DataException(errors);
        }

        if (rows.Count == 1)
        {
            throw new DataException(new DataError(path, rows[0].Line, 1, "", "the CSV file has a header but no data rows"));
        }

        var wanted = xIndex.Append(yIndex).ToArray();
        var names = xColumns.Append(yColumn).ToArray();
        var x = new List<double>();
        var y = new List<double>();
        var values = new double[wanted.Length];
        foreach (var row in rows.Skip(1))
        {
            var missing = false;
            for (var k = 0; k < wanted.Length; k++)
            {
                var column = wanted[k];
                var cell = column < row.Cells.Count ? row.Cells[column].Trim() : "";
                if (MissingMarks.Contains(cell))
                {
                    missing = true;
                    if (!dropMissing)
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
                    errors.Add(new DataError(path, row.Line, column + 1, names[k], $"'{cell}' is not a finite number"));
                }
            }

            if (!missing)
            {
                x.AddRange(values.AsSpan(0, xIndex.Length));
                y.Add(values[^1]);
            }
        }

        if (errors.Count > 0)
        {
            throw new DataException(errors.Take(20).ToList());
        }

        if (y.Count == 0)
        {
            throw new DataException(new DataError(path, rows[0].Line, 1, "", "every data row has a missing value; nothing is left"));
        }

        return new Dataset(name, [.. x], xIndex.Length, [.. y], xColumns);
    }

    private sealed record Row(long Line, List<string> Cells);

    /// <summary>Splits CSV text into rows of cells: quoted cells may hold commas, quotes ("") and line breaks; \n, \r\n and \r all end a row.</summary>
    private static List<Row> Parse(string text)
    {
        var rows = new List<Row>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        long line = 1, rowLine = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' || (c == '\r' && !(i + 1 < text.Length && text[i + 1] == '\n')) ? 1 : 0;
                    cell.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    any = true;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    EndRow();
                    line++;
                    rowLine = line;
                    break;
                default:
                    cell.Append(c);
                    any = true;
                    break;
            }
        }

        EndRow();
        return rows;

        void EndRow()
        {
            if (any || cell.Length > 0)
            {
                cells.Add(cell.ToString());
                rows.Add(new Row(rowLine, [.. cells]));
            }

            cells.Clear();
            cell.Clear();
            any = false;
        }
    }
}
