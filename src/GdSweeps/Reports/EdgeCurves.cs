using System.Globalization;
using GdSweeps.Training;

namespace GdSweeps.Reports;

internal sealed partial class Plots
{
    private const double PanelWidth = Width / 2;
    private const double PlotHeight = 200;
    private const double TitleSize = 12;
    private static readonly string[] Palette = ["#1565c0", "#43a047", "#fb8c00", "#c62828"];

    /// <summary>
    /// Small multiples in two columns: for each group, the loss against the step for the rates just below and just
    /// above its edge.
    /// </summary>
    public string EdgeCurves(IReadOnlyList<EdgePanel> panels) => SmallMultiples(
        panels, p => Label(p.Group), p => p.Runs.Count, Panel, "loss curves for the learning rates around each stability edge");

    /// <summary>
    /// Panels two to a row, each titled (wrapped to its width) over a plot and a legend of two columns; a row is as
    /// tall
    /// as its taller panel. <paramref name="draw"/> draws one panel at (x, y) given its title lines and the row's title
    /// height.
    /// </summary>
    private static string SmallMultiples<T>(
        IReadOnlyList<T> panels, Func<T, string> title, Func<T, int> runs, Action<Svg, T, List<string>, double, double, double> draw, string label)
    {
        var svg = new Svg(Width, 0);
        var top = 0.0;
        for (var row = 0; row < panels.Count; row += 2)
        {
            var pair = panels.Skip(row).Take(2).ToList();
            var titles = pair.Select(p => TextWidth.Wrap(title(p), TitleSize, PanelWidth - 24, bold: true)).ToList();
            var titleHeight = titles.Max(t => t.Count) * 15;
            var legendHeight = pair.Max(p => (runs(p) + 1) / 2) * 14;
            for (var k = 0; k < pair.Count; k++)
            {
                draw(svg, pair[k], titles[k], k * PanelWidth, top, titleHeight);
            }

            top += 16 + titleHeight + PlotHeight + 46 + legendHeight + 14;
        }

        svg.Height = top;
        return svg.Render(label);
    }

    private static void Panel(Svg svg, EdgePanel panel, List<string> title, double ox, double oy, double titleHeight)
    {
        svg.Lines(ox + (PanelWidth / 2), oy + 15, title, "middle", TitleSize, 15, "panel-title", bold: true);
        double x0 = ox + 80, x1 = ox + PanelWidth - 18, y0 = oy + 16 + titleHeight, y1 = y0 + PlotHeight;
        var points = panel.Runs.SelectMany(r => r.Curve).Where(c => double.IsFinite(c.Loss) && c.Loss > 0).ToList();
        if (points.Count == 0)
        {
            svg.Text((x0 + x1) / 2, (y0 + y1) / 2, "no finite positive loss to draw", "middle", 10, "#777");
            return;
        }

        var loss = new LogAxis(
            Math.Pow(10, Math.Floor(Math.Log10(points.Min(c => c.Loss)))), Math.Pow(10, Math.Ceiling(Math.Log10(points.Max(c => c.Loss)))), y1, y0);
        loss = loss.Max <= loss.Min ? loss with { Max = loss.Min * 10 } : loss;
        var steps = new LogAxis(1, Math.Max(panel.Runs.Max(r => r.Run.Steps) + 1, 10), x0, x1);
        svg.Rect(x0, y0, x1 - x0, y1 - y0, "none", stroke: "#bbb");
        var every = loss.LabelEvery(13);
        foreach (var d in loss.Decades())
        {
            svg.Line(x0 - 3, loss.Map(d), x0, loss.Map(d), "#777");
            if (LogAxis.Labelled(d, every))
            {
                svg.Text(x0 - 5, loss.Map(d) + 3.5, LogAxis.Label(d), "end", 9);
            }
        }

        svg.Text(ox + 18, (y0 + y1) / 2, "loss (log scale)", "middle", 10, rotate: -90);
        foreach (var d in steps.Decades())
        {
            svg.Line(steps.Map(d), y1, steps.Map(d), y1 + 3, "#777");
            svg.Text(steps.Map(d), y1 + 14, d.ToString(d < 1e6 ? "0" : "0E+0", CultureInfo.InvariantCulture), "middle", 9);
        }

        svg.Text((x0 + x1) / 2, y1 + 30, "step + 1 (log scale)", "middle", 10);
        for (var k = 0; k < panel.Runs.Count; k++)
        {
            var (run, curve) = panel.Runs[k];
            var line = curve.Where(c => double.IsFinite(c.Loss) && c.Loss > 0).Select(c => (steps.Map(c.Step + 1), loss.Map(c.Loss))).ToList();
            var color = Palette[k % Palette.Length];
            var text = string.Create(CultureInfo.InvariantCulture, $"lr {run.LearningRate:G4}: {run.Status.Name()}{(run.Refinement ? " (refinement)" : "")}");
            svg.Polyline(line, color, 1.5, text);
            var lx = x0 + (k % 2 * ((x1 - x0) / 2));
            var ly = y1 + 46 + (k / 2 * 14);
            svg.Rect(lx, ly - 8, 10, 8, color).Text(lx + 14, ly, text, "start", 9.5);
        }
    }
}
