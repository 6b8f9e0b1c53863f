using System.Globalization;
using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Reports;

internal sealed partial class Plots
{
    /// <summary>
    /// Each group a row, each grid rate a cell on a log learning-rate axis coloured by its least stable run; refinement
    /// runs as thin marks at their rates (beyond the grid too); the analytic bound a black tick.
    /// </summary>
    public string StabilityMap(IReadOnlyList<GroupSummary> groups, IReadOnlyDictionary<RunId, GroupRuns> byGroup)
    {
        var layout = Rows(groups, 8);
        var axis = RateAxis(byGroup, layout.Left);
        var svg = new Svg(Width, 0);
        foreach (var (g, lines, y, height) in layout.Rows)
        {
            RowLabel(svg, layout.Left, lines, y, height);
            var points = byGroup[g.GroupId].Points;
            var grid = points.Where(r => !r.Refinement).GroupBy(r => r.LearningRate).OrderBy(r => r.Key).ToList();
            var rates = grid.Select(r => r.Key).ToList();
            for (var i = 0; i < rates.Count; i++)
            {
                var lo = i == 0 ? rates[i] / Math.Sqrt(rates.Count > 1 ? rates[1] / rates[0] : 10) : Math.Sqrt(rates[i - 1] * rates[i]);
                var hi = i == rates.Count - 1 ? rates[i] * Math.Sqrt(rates.Count > 1 ? rates[i] / rates[i - 1] : 10) : Math.Sqrt(rates[i] * rates[i + 1]);
                var status = Worst(grid[i].Select(r => r.Status));
                var x0 = Math.Max(axis.From, axis.Map(lo));
                var x1 = Math.Min(axis.To, axis.Map(hi));
                svg.Rect(x0, y + 1, x1 - x0, height - 2, StatusColors[status], string.Create(CultureInfo.InvariantCulture, $"{Label(g)}: lr {rates[i]:G4}: {status.Name()}"));
            }

            foreach (var rate in points.Where(r => r.Refinement).GroupBy(r => r.LearningRate))
            {
                var status = Worst(rate.Select(r => r.Status));
                svg.Rect(axis.Map(rate.Key) - 1.5, y + 1, 3, height - 2, StatusColors[status],
                    string.Create(CultureInfo.InvariantCulture, $"{Label(g)}: refinement at lr {rate.Key:G6}: {status.Name()}"), stroke: "#fff");
            }

            if (g.Figures.LrCrit is { } crit && crit >= axis.Min && crit <= axis.Max)
            {
                var x = axis.Map(crit);
                svg.Line(x, y, x, y + height, "#000", 2.5);
            }
        }

        var below = RateTicks(svg, axis, 8, layout.Bottom);
        IEnumerable<(Swatch, string, string)> entries =
        [
            .. StatusColors.Select(kv => (Swatch.Box, kv.Value, kv.Key.Name())),
            (Swatch.Thin, "#555", "refinement run (its status's colour)"),
            (Swatch.Tick, "#000", "analytic bound lr_crit"),
        ];
        svg.Height = Legend(svg, layout.Left, below, entries);
        return svg.Render("stability map: outcome of every run by learning rate");
    }
}
