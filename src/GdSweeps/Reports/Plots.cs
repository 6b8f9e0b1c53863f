using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>
/// The report's figures, as SVG sized to the page: the stability map, the stable intervals with the bound, and loss
/// curves around each edge. Labels wrap to fit their column and legends wrap inside the figure, so nothing is cut.
/// </summary>
internal sealed partial class Plots(SettingLabels labels)
{
    /// <summary>
    /// Every figure's width: the page's text column (report.html's body is 1360 px less its padding); narrower windows
    /// scale it down.
    /// </summary>
    public const double Width = 1300;

    private const double Right = 24;
    private const double RowHeight = 16;
    private const double LabelSize = 10;
    private const double LineHeight = 12;

    /// <summary>A group named by every axis that varies in the sweep, the dataset included.</summary>
    public string Label(GroupSummary g) => labels.Label(g.Setting);

    /// <summary>One row per group, each label wrapped to the label column and each row as tall as its label.</summary>
    private sealed record RowLayout(double Left, IReadOnlyList<(GroupSummary Group, List<string> Lines, double Top, double Height)> Rows)
    {
        public double Bottom => Rows.Count == 0 ? 0 : Rows[^1].Top + Rows[^1].Height;
    }

    private RowLayout Rows(IReadOnlyList<GroupSummary> groups, double top)
    {
        var most = Width * 0.38;
        var wrapped = groups.Select(g => TextWidth.Wrap(Label(g), LabelSize, most)).ToList();
        var widest = wrapped.SelectMany(l => l).Select(l => TextWidth.Of(l, LabelSize)).DefaultIfEmpty(0).Max();
        var rows = new List<(GroupSummary, List<string>, double, double)>();
        var y = top;
        for (var i = 0; i < groups.Count; i++)
        {
            var height = Math.Max(RowHeight, (wrapped[i].Count * LineHeight) + 4);
            rows.Add((groups[i], wrapped[i], y, height));
            y += height;
        }

        return new RowLayout(Math.Min(most, widest) + 14, rows);
    }

    /// <summary>A row's label, right-aligned against the plot, centred on the row.</summary>
    private static void RowLabel(Svg svg, double left, List<string> lines, double top, double height) =>
        svg.Lines(left - 6, top + ((height - (lines.Count * LineHeight)) / 2) + 9.5, lines, "end", LabelSize, LineHeight, "row-label");

    /// <summary>
    /// The learning-rate axis over every rate tried (grid and refinement), whole decades at both ends.
    /// </summary>
    private static LogAxis RateAxis(IReadOnlyDictionary<RunId, IReadOnlyList<RunPoint>> runs, double left)
    {
        var min = Math.Pow(10, Math.Floor(Math.Log10(runs.Values.Min(g => g.Min(p => p.LearningRate)))));
        var max = Math.Pow(10, Math.Ceiling(Math.Log10(runs.Values.Max(g => g.Max(p => p.LearningRate)))));
        return new LogAxis(min, max == min ? min * 10 : max, left, Width - Right);
    }

    /// <summary>
    /// A gridline at every decade, labels as many as fit, and the axis title; returns the y below the title.
    /// </summary>
    private static double RateTicks(Svg svg, LogAxis axis, double top, double bottom)
    {
        var every = axis.LabelEvery(TextWidth.Of("1E-10", 10) + 8);
        foreach (var d in axis.Decades())
        {
            var x = axis.Map(d);
            svg.Line(x, top, x, bottom + 3, "#ccc");
            if (LogAxis.Labelled(d, every))
            {
                svg.Text(x, bottom + 15, LogAxis.Label(d), "middle", 10);
            }
        }

        svg.Text((axis.From + axis.To) / 2, bottom + 31, "learning rate (log scale, a tick per decade)", "middle", 11);
        return bottom + 40;
    }

    private enum Swatch
    {
        Box,
        Tick,
        Thin,
        Diamond,
    }

    /// <summary>
    /// Legend entries from left to right, wrapping inside the figure; returns the y below the last line.
    /// </summary>
    private static double Legend(Svg svg, double left, double y, IEnumerable<(Swatch Swatch, string Color, string Text)> entries)
    {
        var x = left;
        y += 10;
        foreach (var (swatch, color, text) in entries)
        {
            var width = 18 + TextWidth.Of(text, 10) + 14;
            if (x > left && x + width > Width - Right)
            {
                x = left;
                y += 16;
            }

            switch (swatch)
            {
                case Swatch.Box:
                    svg.Rect(x, y - 9, 12, 10, color);
                    break;
                case Swatch.Tick:
                    svg.Line(x + 6, y - 10, x + 6, y + 1, color, 2.5);
                    break;
                case Swatch.Thin:
                    svg.Rect(x + 4, y - 10, 3, 12, color, stroke: "#fff");
                    break;
                default:
                    svg.Diamond(x + 6, y - 4, 5, color);
                    break;
            }

            svg.Text(x + 18, y, text, "start", 10);
            x += width;
        }

        return y + 8;
    }
}
