using System.Globalization;
using System.Net;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Reports;

namespace GdSweeps.Pipeline;

/// <summary>
/// <c>compare-&lt;a&gt;.html</c>: the comparison as a page, one figure (per setting, the converged range and the edge
/// in sweep a beside sweep b, on one learning-rate axis) above the table the command prints.
/// </summary>
internal static class ComparisonPage
{
    private const double Width = 1100, Row = 14, Gap = 12, Top = 10;

    private static readonly (string Side, string Color)[] Sides = [("a", "#1e88e5"), ("b", "#fb8c00")];

    public static string Render(Compare.Outcome outcome)
    {
        var ci = CultureInfo.InvariantCulture;
        var both = outcome.Groups.Where(g => g.A is not null && g.B is not null).ToList();
        var labels = new SettingLabels(outcome.Groups.Select(g => g.Setting));
        var html = new StringBuilder();
        html.Append(ci, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>GdSweeps: {E(outcome.SweepA)} against {E(outcome.SweepB)}</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            {HtmlReport.Style}
            </style></head><body>
            <h1>How the stable range moved from <code>{E(outcome.A)}</code> to <code>{E(outcome.B)}</code></h1>
            <p class="note">a: <code>{E(outcome.A)}</code> (sweep {E(outcome.SweepA)}); b: <code>{E(outcome.B)}</code> (sweep {E(outcome.SweepB)}).
            {Plural.Of(both.Count, "group")} in both, {outcome.Groups.Count(g => g.B is null)} only in a, {outcome.Groups.Count(g => g.A is null)} only in b{(outcome.Ignored.Count > 0 ? $", paired on every key but {E(string.Join(", ", outcome.Ignored))}" : "")}.</p>

            """);
        if (both.Count > 0)
        {
            html.Append(ci, $"<figure>{Figure(both, labels)}<figcaption>Per setting, a (blue) above b (orange): the bar is the converged range, the tick the largest stable rate, the cross the first unstable one, the red diamond the analytic bound lr_crit.</figcaption></figure>\n");
            html.Append("<table>\n<tr><th>group</th>");
            foreach (var i in outcome.Ignored)
            {
                html.Append(ci, $"<th>{E(i)}, a &rarr; b</th>");
            }

            html.Append("<th>stable up to, a &rarr; b</th><th>first unstable, a &rarr; b</th><th>measured / analytic, a &rarr; b</th><th>converged range, a &rarr; b</th><th>best lr, a &rarr; b</th></tr>\n");
            foreach (var g in both)
            {
                var (a, b) = (g.A!, g.B!);
                html.Append(ci, $"<tr><td>{E(labels.Label(g.Setting))}</td>");
                foreach (var i in outcome.Ignored)
                {
                    html.Append(ci, $"<td>{E($"{g.FullA?.Cell(i) ?? "none"} -> {g.FullB?.Cell(i) ?? "none"}")}</td>");
                }

                html.Append(ci, $"<td>{E(Compare.Moved(a.MaxStableLr, b.MaxStableLr))}</td><td>{E(Compare.Moved(a.MinUnstableLr, b.MinUnstableLr))}</td><td>{E($"{Compare.Num(a.EdgeRatio)} -> {Compare.Num(b.EdgeRatio)}")}</td><td>{E($"{Compare.Range(a)} -> {Compare.Range(b)}")}</td><td>{E(Compare.Moved(a.BestLr, b.BestLr))}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        foreach (var (side, only) in new[] { ("a", outcome.Groups.Where(g => g.B is null)), ("b", outcome.Groups.Where(g => g.A is null)) })
        {
            var list = only.ToList();
            if (list.Count > 0)
            {
                html.Append(ci, $"<p class=\"note\">Only in {side}: {E(string.Join("; ", list.Select(g => labels.Label(g.Setting))))}.</p>\n");
            }
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>Two rows a setting, a's and b's, on one log axis of the learning rates the figures name.</summary>
    private static string Figure(List<GroupComparison> groups, SettingLabels labels)
    {
        var rates = groups.SelectMany(g => new[] { g.A!, g.B! })
            .SelectMany(f => new[] { f.LrCrit, f.MaxStableLr, f.MinUnstableLr, f.MinConvergedLr, f.MaxConvergedLr })
            .OfType<double>().Where(r => r > 0 && double.IsFinite(r)).ToList();
        var (low, high) = rates.Count == 0 ? (1e-3, 1.0) : (rates.Min() / 1.5, rates.Max() * 1.5);
        if (high / low < 100)
        {
            (low, high) = (Math.Sqrt(low * high) / 10, Math.Sqrt(low * high) * 10); // at least two decades, ticks labelled
        }

        var text = groups.Select(g => labels.Label(g.Setting)).ToList();
        var left = Math.Min(360, text.Max(t => TextWidth.Of(t, 11)) + 30);
        var axis = new LogAxis(low, high, left, Width - 20);
        var svg = new Svg(Width, 0);
        var y = Top;
        for (var i = 0; i < groups.Count; i++)
        {
            var lines = TextWidth.Wrap(text[i], 11, left - 22);
            svg.Lines(left - 16, y + Row - 2, lines, "end", 11, 13, "label");
            for (var s = 0; s < 2; s++)
            {
                var (side, color) = Sides[s];
                var f = s == 0 ? groups[i].A! : groups[i].B!;
                var middle = y + (s * Row) + (Row / 2);
                if (f.MinConvergedLr is { } from && f.MaxConvergedLr is { } to)
                {
                    var x0 = axis.Map(Math.Clamp(from, low, high));
                    svg.Rect(x0 - 2, middle - 4, Math.Max(axis.Map(Math.Clamp(to, low, high)) - x0, 0) + 4, 8, color,
                        string.Create(CultureInfo.InvariantCulture, $"{side}: converged from {from:G4} to {to:G4}"));
                }

                if (f.MaxStableLr is { } stable)
                {
                    var x = axis.Map(Math.Clamp(stable, low, high));
                    svg.Line(x, middle - 6, x, middle + 6, color, 2.5);
                    svg.Rect(x - 3, middle - 6, 6, 12, "transparent", string.Create(CultureInfo.InvariantCulture, $"{side}: stable up to {stable:G4}"));
                }

                if (f.MinUnstableLr is { } unstable)
                {
                    var x = axis.Map(Math.Clamp(unstable, low, high));
                    svg.Line(x - 4, middle - 4, x + 4, middle + 4, color, 2).Line(x - 4, middle + 4, x + 4, middle - 4, color, 2);
                }

                if (f.LrCrit is { } crit && crit >= low && crit <= high)
                {
                    svg.Diamond(axis.Map(crit), middle, 3.5, "#c62828", string.Create(CultureInfo.InvariantCulture, $"{side}: lr_crit {crit:G4}"));
                }

                svg.Text(left - 4, middle + 4, side, "end", 9, "#777");
            }

            y += Math.Max(2 * Row, lines.Count * 13) + Gap;
        }

        var every = axis.LabelEvery(TextWidth.Of("1E-10", 10) + 8);
        foreach (var d in axis.Decades())
        {
            var x = axis.Map(d);
            svg.Line(x, Top - 4, x, y, "#ddd");
            if (LogAxis.Labelled(d, every))
            {
                svg.Text(x, y + 14, LogAxis.Label(d), "middle", 10);
            }
        }

        svg.Text((axis.From + axis.To) / 2, y + 30, "learning rate (log scale, a tick per decade)", "middle", 11);
        svg.Height = y + 40;
        return svg.Render("the converged range and the edge of each setting, sweep a beside sweep b");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
