using System.Globalization;
using System.Text.RegularExpressions;

namespace GdSweeps.Reports;

/// <summary>
/// One notation per column of figures: plain decimals (<c>10001</c>, <c>0.0001778</c>) when every figure of the
/// column reads well that way, else every one in scientific notation (<c>1.0001e4</c>, <c>1.778e-4</c>), each at the
/// significant digits it was written with. Never <c>1E+04</c> beside <c>0.0001778</c>.
/// </summary>
internal static partial class Notation
{
    /// <summary>Figures from 1e-4 up to (not including) 1e5 read well as plain decimals.</summary>
    private const double Low = 1e-4;

    private const double High = 1e5;

    public static IReadOnlyList<IReadOnlyList<Cell>> PerColumn(IReadOnlyList<IReadOnlyList<Cell>> rows)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var columns = rows[0].Count;
        var scientific = new bool[columns];
        for (var c = 0; c < columns; c++)
        {
            foreach (var row in rows)
            {
                if (c < row.Count && IsFigures(row[c]) && Figure().Matches(row[c].Text).Any(m => Value(m.Value) is var v && v != 0 && (Math.Abs(v) < Low || Math.Abs(v) >= High)))
                {
                    scientific[c] = true;
                    break;
                }
            }
        }

        return [.. rows.Select(row => (IReadOnlyList<Cell>)[.. row.Select((cell, c) => scientific[c] && IsFigures(cell)
            ? cell with { Text = Figure().Replace(cell.Text, m => Scientific(m.Value)) }
            : cell)])];
    }

    private static bool IsFigures(Cell cell) => cell.Number || cell.Figures;

    private static double Value(string figure) => double.Parse(figure, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary><c>1.778E-06</c> as <c>1.778e-6</c>, <c>10001</c> as <c>1.0001e4</c>: the same significant digits, at least one decimal.</summary>
    public static string Scientific(string figure)
    {
        var v = Value(figure);
        if (v == 0 || !double.IsFinite(v))
        {
            return figure;
        }

        var digits = SignificantDigits(figure);
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        var mantissa = Math.Round(v / Math.Pow(10, exponent), Math.Max(1, digits - 1));
        if (Math.Abs(mantissa) >= 10)
        {
            (mantissa, exponent) = (mantissa / 10, exponent + 1);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{mantissa.ToString("F" + Math.Max(1, digits - 1), CultureInfo.InvariantCulture)}e{exponent}");
    }

    /// <summary>The significant digits a figure was written with: <c>0.0001778</c> 4, <c>1E+04</c> 1, <c>10001</c> 5.</summary>
    private static int SignificantDigits(string figure)
    {
        var mantissa = figure.Split('E', 'e')[0].TrimStart('-', '+').Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        if (!figure.Contains('.', StringComparison.Ordinal) && !figure.Contains('E', StringComparison.OrdinalIgnoreCase))
        {
            mantissa = mantissa.TrimEnd('0'); // 10000 is one digit of 1e4
        }

        return Math.Max(1, mantissa.Length);
    }

    /// <summary>A figure as the tables write one: optional sign, digits, decimals, exponent; not part of a word.</summary>
    [GeneratedRegex(@"(?<![\w.])-?\d+(?:\.\d+)?(?:E[+-]?\d+)?(?![\w.])")]
    private static partial Regex Figure();
}
