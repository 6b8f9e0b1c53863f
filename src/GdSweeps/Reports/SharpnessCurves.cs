using System.Globalization;
using GdSweeps.Training;

namespace GdSweeps.Reports;

internal sealed partial class Plots
{
    /// <summary>
    /// Small multiples in two columns, as the loss curves: for each group, the sharpness each run around the edge
    /// reported
    /// against the step, beside its own <c>2/lr</c> (dashed, its colour). Above its line a run is unstable along its
    /// top
    /// direction at that step; full-batch GD at the edge of stability hovers on it.
    /// </summary>
    public string SharpnessCurves(IReadOnlyList<SharpnessPanel> panels) => SmallMultiples(
        panels, p => SharpnessTitle(p.Group), p => p.Runs.Count, SharpnessPanelOf, "sharpness against step beside 2/lr for the learning rates around each stability edge");

    private string SharpnessTitle(Analysis.GroupSummary group) =>
        group.Sharpness0 is > 0 and var s ? string.Create(CultureInfo.InvariantCulture, $"{Label(group)} (2/sharpness_0 = {2 / s:G4})") : Label(group);

    private static void SharpnessPanelOf(Svg svg, SharpnessPanel panel, List<string> title, double ox, double oy, double titleHeight)
    {
        svg.Lines(ox + (PanelWidth / 2), oy + 15, title, "middle", TitleSize, 15, "panel-title", bold: true);
        double x0 = ox + 80, x1 = ox + PanelWidth - 18, y0 = oy + 16 + titleHeight, y1 = y0 + PlotHeight;
        var limits = panel.Runs.Select(r => 2 / r.Run.LearningRate).ToList();

        // Up to a little over the highest 2/lr: a diverging run's sharpness can grow without bound, and is drawn to the top.
        var top = Math.Max(limits.Max(), panel.Runs.SelectMany(r => r.Curve).Select(c => c.Sharpness).Where(double.IsFinite).DefaultIfEmpty(0).Max());
        var y = new LinearAxis(0, Math.Min(top, 2.5 * limits.Max()) * 1.08, y1, y0);
        var x = new LinearAxis(0, Math.Max(panel.Runs.Max(r => r.Run.Steps), 1), x0, x1);
        svg.Rect(x0, y0, x1 - x0, y1 - y0, "none", stroke: "#bbb");
        foreach (var tick in y.Ticks(5))
        {
            svg.Line(x0 - 3, y.Map(tick), x0, y.Map(tick), "#777");
            svg.Text(x0 - 5, y.Map(tick) + 3.5, tick.ToString("G4", CultureInfo.InvariantCulture), "end", 9);
        }

        foreach (var tick in x.Ticks(6))
        {
            svg.Line(x.Map(tick), y1, x.Map(tick), y1 + 3, "#777");
            svg.Text(x.Map(tick), y1 + 14, tick.ToString("G6", CultureInfo.InvariantCulture), "middle", 9);
        }

        svg.Text(ox + 18, (y0 + y1) / 2, "sharpness", "middle", 10, rotate: -90);
        svg.Text((x0 + x1) / 2, y1 + 30, "step", "middle", 10);
        for (var k = 0; k < panel.Runs.Count; k++)
        {
            var (run, curve) = panel.Runs[k];
            var color = Palette[k % Palette.Length];
            var limit = 2 / run.LearningRate;
            if (limit <= y.Max)
            {
                svg.Line(x0, y.Map(limit), x1, y.Map(limit), color, 1.2, "5,4");
            }

            var line = curve.Where(c => double.IsFinite(c.Sharpness)).Select(c => (x.Map(c.Step), y.Map(Math.Clamp(c.Sharpness, y.Min, y.Max)))).ToList();
            var text = string.Create(CultureInfo.InvariantCulture, $"lr {run.LearningRate:G4} (2/lr {limit:G4}): {run.Status.Name()}{(run.Refinement ? " (refinement)" : "")}");
            svg.Polyline(line, color, 1.5, text);
            var lx = x0 + (k % 2 * ((x1 - x0) / 2));
            var ly = y1 + 46 + (k / 2 * 14);
            svg.Rect(lx, ly - 8, 10, 8, color).Text(lx + 14, ly, text, "start", 9.5);
        }
    }
}

/// <summary>A linear axis mapping values in [Min, Max] to pixels in [From, To].</summary>
internal readonly record struct LinearAxis(double Min, double Max, double From, double To)
{
    public double Map(double v) => From + ((v - Min) / (Max - Min) * (To - From));

    /// <summary>
    /// About <paramref name="count"/> round values (1, 2 or 5 times a power of ten apart) within the range.
    /// </summary>
    public IEnumerable<double> Ticks(int count)
    {
        var raw = (Max - Min) / count;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : raw / power < 7.5 ? 5 * power : 10 * power;
        for (var t = Math.Ceiling(Min / step) * step; t <= Max + (step * 1e-9); t += step)
        {
            yield return Math.Round(t / step) * step;
        }
    }
}
