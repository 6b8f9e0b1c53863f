using System.Globalization;
using System.Net;
using System.Text;

namespace GdSweeps.Reports;

/// <summary>
/// One cell of a report table: its text, and whether it holds figures (right-aligned; each figure kept whole).
/// </summary>
/// <param name="Number">One figure, never wrapped.</param>
/// <param name="Figures">Figures that may wrap between them (an interval), each kept whole.</param>
internal readonly record struct Cell(string Text, bool Number = false, bool Figures = false)
{
    public static Cell Of(double? value, string format = "G4") => new(Num(value, format), Number: true);

    public static Cell Words(string text) => new(text);

    /// <summary><c>[low, high]</c>, or <c>-</c> without a range.</summary>
    public static Cell Interval(double? low, double? high) =>
        new(low is null ? "-" : $"[{Num(low)}, {Num(high)}]", Figures: true);

    /// <summary>
    /// A figure at <paramref name="format"/>'s precision, a whole number from 1000 to 99999 written out (<c>10001</c>,
    /// not <c>1E+04</c>); the table then gives each column one notation (<see cref="Notation"/>).
    /// </summary>
    public static string Num(double? value, string format = "G4")
    {
        if (value is not { } v)
        {
            return "-";
        }

        var text = v.ToString(format, CultureInfo.InvariantCulture);
        if (!text.Contains('E', StringComparison.Ordinal) || Math.Abs(v) < 1000 || Math.Abs(v) >= 1e5)
        {
            return text;
        }

        // A whole number as it is; another rounded to the format's digits, written out (14141.4 at G4: 14140).
        var digits = format.Length > 1 && int.TryParse(format[1..], CultureInfo.InvariantCulture, out var d) ? d : 15;
        var scale = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(v))) + 1 - digits);
        return (v == Math.Round(v) ? v : Math.Round(v / scale) * scale).ToString("F0", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A table as both reports show it, so report.md and report.html state the same figures under the same headers; each
/// report only renders it. The notes explain the markers some cells carry.
/// </summary>
internal sealed record ReportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<Cell>> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// At most this many rows in a report's table (the million's thousand groups all show), so a sweep of ten thousand
    /// groups has a report of the same size; the Parquet tables beside it hold every row.
    /// </summary>
    public const int MaxRows = 1000;

    private IReadOnlyList<IReadOnlyList<Cell>>? shown;

    /// <summary>
    /// One row per item, each made only when shown: a table of ten thousand groups makes its first
    /// <see cref="MaxRows"/> rows, not all of them.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Cell>> RowsOf<T>(IReadOnlyList<T> items, Func<T, IReadOnlyList<Cell>> row) => new LazyRows<T>(items, row);

    private sealed class LazyRows<T>(IReadOnlyList<T> items, Func<T, IReadOnlyList<Cell>> row) : IReadOnlyList<IReadOnlyList<Cell>>
    {
        public int Count => items.Count;

        public IReadOnlyList<Cell> this[int index] => row(items[index]);

        public IEnumerator<IReadOnlyList<Cell>> GetEnumerator()
        {
            foreach (var item in items)
            {
                yield return row(item);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The rows as shown (the first <see cref="MaxRows"/>): every column's figures in one notation.</summary>
    private IReadOnlyList<IReadOnlyList<Cell>> Shown => shown ??= Notation.PerColumn([.. Rows.Take(MaxRows)]);

    /// <summary>Says how many rows are left out and where they are, when any is.</summary>
    private IEnumerable<string> AllNotes => Rows.Count <= MaxRows
        ? Notes
        : [string.Create(CultureInfo.InvariantCulture, $"The first {MaxRows:N0} rows of {Rows.Count:N0}: summary.parquet and transfer.parquet beside this report hold every one (gdsweeps export DIR --table summary writes them as CSV)."), .. Notes];

    public string Markdown()
    {
        // A cell is one line: a line end in a name or a parameter's text would split the table's row.
        static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
        var md = new StringBuilder();
        md.Append("| ").AppendJoin(" | ", Headers.Select(Escape)).Append(" |\n");
        md.Append('|').Append(string.Concat(Headers.Select(_ => "---|"))).Append('\n');
        foreach (var row in Shown)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(c => Escape(c.Text))).Append(" |\n");
        }

        foreach (var note in AllNotes)
        {
            md.Append('\n').Append(note).Append('\n');
        }

        return md.ToString();
    }

    /// <summary>
    /// The table in a box of its own that scrolls sideways when it is wider than the page, so the page never does.
    /// </summary>
    public string Html()
    {
        var html = new StringBuilder("<div class=\"scroll\"><table><tr>");
        var first = Rows.Count > 0 ? Rows[0] : null;
        for (var i = 0; i < Headers.Count; i++)
        {
            var text = first is not null && first[i] is { Number: false, Figures: false };
            AppendTokens(html.Append(text ? "<th class=\"t\">" : "<th>"), Headers[i]).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (var row in Shown)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                // A figure is one unbreakable piece (Chromium breaks even nowrap text at a <wbr>).
                _ = cell switch
                {
                    { Number: true } => AppendEncoded(html.Append("<td class=\"n\">"), cell.Text),
                    { Figures: true } => AppendTokens(html.Append("<td>"), cell.Text),
                    _ => AppendTokens(html.Append("<td class=\"t\">"), cell.Text),
                };
                html.Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table></div>\n");
        foreach (var note in AllNotes)
        {
            AppendTokens(html.Append("<p class=\"note\">"), note).Append("</p>\n");
        }

        return html.ToString();
    }

    public static string Tokens(string text) => AppendTokens(new StringBuilder(text.Length * 3), text).ToString();

    /// <summary>
    /// Appends <see cref="Tokens"/> of <paramref name="text"/> to <paramref name="html"/> without a string per word or
    /// piece (a report of a thousand rows made megabytes of them).
    /// </summary>
    public static StringBuilder AppendTokens(StringBuilder html, string text)
    {
        var all = text.AsSpan();
        var firstWord = true;
        foreach (var words in all.Split(' '))
        {
            html.Append(firstWord ? "" : " ");
            firstWord = false;
            var word = all[words];
            var firstPiece = true;
            foreach (var pieces in word.Split(','))
            {
                html.Append(firstPiece ? "" : ",<wbr>");
                firstPiece = false;
                if (word[pieces] is { Length: > 0 } piece)
                {
                    AppendEncoded(html.Append("<span class=\"nw\">"), piece).Append("</span>");
                }
            }
        }

        return html;
    }

    /// <summary>Appends <paramref name="text"/> HTML-encoded (as <see cref="WebUtility.HtmlEncode(string)"/> does).</summary>
    public static StringBuilder AppendEncoded(StringBuilder html, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is '<' or '>' or '&' or '"' or '\'' || c >= 160)
            {
                return html.Append(WebUtility.HtmlEncode(text.ToString()));
            }
        }

        return html.Append(text);
    }
}
