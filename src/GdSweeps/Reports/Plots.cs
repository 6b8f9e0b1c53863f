using System.Globalization;
using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>The report's three figures, as SVG: the stability map, the stable intervals with the bound, and loss curves around the edge.</summary>
internal sealed class Plots(SettingLabels labels)
{
    public static readonly IReadOnlyDictionary<RunStatus, string> StatusColors = new Dictionary<RunStatus, string>
    {
        [RunStatus.Converged] = "#2e7d32",
        [RunStatus.Oscillating] = "#9ccc65",
        [RunStatus.Stalled] = "#90a4ae",
        [RunStatus.ClipBound] = "#7e57c2",
        [RunStatus.Diverging] = "#ffa726",
        [RunStatus.Diverged] = "#c62828",
        [RunStatus.Uninformative] = "#e0e0e0",
        [RunStatus.Failed] = "#000000",
    };

    private const double Left = 300;
    private const double Right = 30;
    private const double RowHeight = 16;

    /// <summary>A group named by every axis that varies in the sweep, the dataset included.</summary>
    public string Label(GroupSummary g) => labels.Label(g.Setting);

    private static LogAxis RateAxis(IReadOnlyDictionary<RunId, GroupRuns> runs, double width)
    {
        var min = Math.Pow(10, Math.Floor(Math.Log10(runs.Values.Min(g => g.Points.Min(p => p.LearningRate)))));
        var max = Math.Pow(10, Math.Ceiling(Math.Log10(runs.Values.Max(g => g.Points.Max(p => p.LearningRate)))));
        return new LogAxis(min, max == min ? min * 10 : max, Left, width - Right);
    }

    private static void RateTicks(Svg svg, LogAxis axis, double top, double bottom)
    {
        foreach (var d in axis.Decades())
        {
            var x = axis.Map(d);
            svg.Line(x, top, x, bottom, "#ddd");
            svg.Text(x, bottom + 14, LogAxis.Label(d), "middle", 10);
        }

        svg.Text((axis.From + axis.To) / 2, bottom + 30, "learning rate (log scale)", "middle", 11);
    }

    /// <summary>Each group a row, each run a cell on a log learning-rate axis coloured by status; the analytic bound a black tick.</summary>
    public string StabilityMap(IReadOnlyList<GroupSummary> groups, IReadOnlyDictionary<RunId, GroupRuns> byGroup, double width = 960)
    {
        var axis = RateAxis(byGroup, width);
        var top = 10.0;
        var svg = new Svg(width, top + (groups.Count * RowHeight) + 70);
        var row = 0;
        foreach (var g in groups)
        {
            var y = top + (row++ * RowHeight);
            svg.Text(Left - 6, y + 12, Label(g), "end", 10);
            var groupRuns = byGroup[g.GroupId].Points.Where(r => !r.Refinement).OrderBy(r => r.LearningRate).ToList();
            var rates = groupRuns.Select(r => r.LearningRate).Distinct().ToList();
            for (var i = 0; i < rates.Count; i++)
            {
                var lo = i == 0 ? rates[i] / Math.Sqrt(rates.Count > 1 ? rates[1] / rates[0] : 10) : Math.Sqrt(rates[i - 1] * rates[i]);
                var hi = i == rates.Count - 1 ? rates[i] * Math.Sqrt(rates.Count > 1 ? rates[i] / rates[i - 1] : 10) : Math.Sqrt(rates[i] * rates[i + 1]);
                var status = Worst(groupRuns.Where(r => r.LearningRate == rates[i]).Select(r => r.Status));
                var x0 = Math.Max(axis.From, axis.Map(lo));
                var x1 = Math.Min(axis.To, axis.Map(hi));
                svg.Rect(x0, y + 1, x1 - x0, RowHeight - 2, StatusColors[status], string.Create(CultureInfo.InvariantCulture, $"{Label(g)}: lr {rates[i]:G4}: {status.Name()}"));
            }

            if (g.Figures.LrCrit is { } crit && crit >= axis.Min && crit <= axis.Max)
            {
                var x = axis.Map(crit);
                svg.Line(x, y, x, y + RowHeight, "#000", 2.5);
            }
        }

        var bottom = top + (groups.Count * RowHeight);
        RateTicks(svg, axis, top, bottom);
        Legend(svg, bottom + 48, width, includeBound: true);
        return svg.Render("stability map: outcome of every run by learning rate");
    }

    /// <summary>Per group, the measured stable interval as a bar (from the smallest rate tried to the largest stable one) and the analytic bound as a diamond.</summary>
    public string StableIntervals(IReadOnlyList<GroupSummary> groups, IReadOnlyDictionary<RunId, GroupRuns> byGroup, double width = 960)
    {
        var axis = RateAxis(byGroup, width);
        var smallest = byGroup.ToDictionary(g => g.Key, g => g.Value.Points.Min(r => r.LearningRate));
        var top = 10.0;
        var svg = new Svg(width, top + (groups.Count * RowHeight) + 70);
        var row = 0;
        foreach (var g in groups)
        {
            var y = top + (row++ * RowHeight);
            svg.Text(Left - 6, y + 12, Label(g), "end", 10);
            if (g.MaxStableLr is { } high && !g.Uninformative)
            {
                var x0 = axis.Map(smallest[g.GroupId]);
                var x1 = axis.Map(high);
                svg.Rect(x0, y + 3, Math.Max(x1 - x0, 2), RowHeight - 6, g.MinUnstableLr is null ? "#a5d6a7" : "#43a047",
                    string.Create(CultureInfo.InvariantCulture, $"{Label(g)}: stable up to {high:G4}{(g.MinUnstableLr is { } u ? $", unstable from {u:G4}" : ", nothing tried was unstable")}"));
            }
            else
            {
                svg.Text(axis.From + 4, y + 12, g.Uninformative ? "uninformative: starts at the optimum" : "no stable rate tried", "start", 10, "#777");
            }

            if (g.Figures.LrCrit is { } crit && crit >= axis.Min && crit <= axis.Max)
            {
                svg.Diamond(axis.Map(crit), y + (RowHeight / 2), 5, "#c62828", string.Create(CultureInfo.InvariantCulture, $"analytic bound {crit:G4}{(g.EdgeRatio is { } r ? $"; measured/analytic {r:G4}" : "")}"));
            }
        }

        var bottom = top + (groups.Count * RowHeight);
        RateTicks(svg, axis, top, bottom);
        svg.Rect(Left, bottom + 42, 14, 10, "#43a047").Text(Left + 18, bottom + 51, "stable interval measured (pale: no unstable rate tried above it)", "start", 10);
        svg.Diamond(Left + 360, bottom + 47, 5, "#c62828").Text(Left + 370, bottom + 51, "analytic bound (2/lambda_max, or 2(1+beta)/lambda_max)", "start", 10);
        return svg.Render("stable learning-rate intervals with the analytic bound");
    }

    /// <summary>Small multiples: for each chosen group, the loss against the step for the rates just below and just above its edge.</summary>
    public string EdgeCurves(IReadOnlyList<EdgePanel> panels)
    {
        const double panelWidth = 300, panelHeight = 235, columns = 3;
        var rows = (int)Math.Ceiling(panels.Count / columns);
        var svg = new Svg(panelWidth * columns, Math.Max(rows, 1) * panelHeight);
        string[] palette = ["#1565c0", "#43a047", "#fb8c00", "#c62828"];
        for (var p = 0; p < panels.Count; p++)
        {
            var (group, runs) = panels[p];
            var ox = p % (int)columns * panelWidth;
            var oy = p / (int)columns * panelHeight;
            double x0 = ox + 45, x1 = ox + panelWidth - 10, y0 = oy + 30, y1 = oy + panelHeight - 65;
            svg.Text(ox + (panelWidth / 2), oy + 14, Label(group), "middle", 11, bold: true);
            var points = runs.SelectMany(r => r.Curve).Where(c => double.IsFinite(c.Loss) && c.Loss > 0).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var loss = new LogAxis(Math.Max(points.Min(c => c.Loss), 1e-300), Math.Max(points.Max(c => c.Loss), points.Min(c => c.Loss) * 10), y1, y0);
            var steps = new LogAxis(1, Math.Max(runs.Max(r => r.Run.Steps) + 1, 10), x0, x1);
            svg.Rect(x0, y0, x1 - x0, y1 - y0, "none", stroke: "#bbb");
            foreach (var d in steps.Decades())
            {
                svg.Text(steps.Map(d), y1 + 12, (d - 1).ToString("0", CultureInfo.InvariantCulture), "middle", 9);
            }

            svg.Text((x0 + x1) / 2, y1 + 24, "step", "middle", 10);
            svg.Text(x0 - 4, y0 + 8, LogAxis.Label(loss.Max), "end", 9);
            svg.Text(x0 - 4, y1, LogAxis.Label(loss.Min), "end", 9);
            for (var k = 0; k < runs.Count; k++)
            {
                var (run, curve) = runs[k];
                var line = curve.Where(c => double.IsFinite(c.Loss) && c.Loss > 0)
                    .Select(c => (steps.Map(c.Step + 1), loss.Map(Math.Max(c.Loss, loss.Min)))).ToList();
                var color = palette[k % palette.Length];
                var label = string.Create(CultureInfo.InvariantCulture, $"lr {run.LearningRate:G4}: {run.Status.Name()}");
                svg.Polyline(line, color, 1.5, label);
                var ly = y1 + 30 + ((k / 2) * 11);
                svg.Rect(x0 + ((k % 2) * 125), ly, 10, 8, color).Text(x0 + 14 + ((k % 2) * 125), ly + 8, label, "start", 9);
            }
        }

        return svg.Render("loss curves for the learning rates around each stability edge");
    }

    /// <summary>The status shown for several seeds at one rate: the least stable one.</summary>
    public static RunStatus Worst(IEnumerable<RunStatus> statuses)
    {
        RunStatus[] order =
        [
            RunStatus.Failed, RunStatus.Diverged, RunStatus.Diverging, RunStatus.ClipBound, RunStatus.Oscillating,
            RunStatus.Stalled, RunStatus.Converged, RunStatus.Uninformative,
        ];
        var set = statuses.ToHashSet();
        return order.First(set.Contains);
    }

    private static void Legend(Svg svg, double y, double width, bool includeBound)
    {
        var x = Left;
        foreach (var (status, color) in StatusColors)
        {
            svg.Rect(x, y - 9, 12, 10, color).Text(x + 16, y, status.Name(), "start", 10);
            x += 22 + (status.Name().Length * 6.2);
        }

        if (includeBound && x < width - 120)
        {
            svg.Line(x, y - 10, x, y + 1, "#000", 2.5).Text(x + 6, y, "2/lambda_max", "start", 10);
        }
    }
}
