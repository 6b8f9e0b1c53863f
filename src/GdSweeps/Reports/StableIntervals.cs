using System.Globalization;
using GdSweeps.Analysis;
using GdSweeps.Grid;

namespace GdSweeps.Reports;

internal sealed partial class Plots
{
    /// <summary>
    /// Per group, the measured stable interval as a bar (from the smallest rate tried to the largest stable one) and
    /// the analytic bound as a diamond.
    /// </summary>
    public string StableIntervals(IReadOnlyList<GroupSummary> groups, IReadOnlyDictionary<RunId, GroupRuns> byGroup)
    {
        var layout = Rows(groups, 8);
        var axis = RateAxis(byGroup, layout.Left);
        var svg = new Svg(Width, 0);
        foreach (var (g, lines, y, height) in layout.Rows)
        {
            RowLabel(svg, layout.Left, lines, y, height);
            var middle = y + (height / 2);
            if (g.MaxStableLr is { } high && !g.Uninformative)
            {
                var x0 = axis.Map(byGroup[g.GroupId].Points.Min(r => r.LearningRate));
                var x1 = axis.Map(high);
                svg.Rect(x0, middle - 5, Math.Max(x1 - x0, 2), 10, g.MinUnstableLr is null ? "#a5d6a7" : "#43a047",
                    string.Create(CultureInfo.InvariantCulture, $"{Label(g)}: stable up to {high:G4}{(g.MinUnstableLr is { } u ? $", unstable from {u:G4}" : ", nothing tried was unstable")}"));
            }
            else
            {
                svg.Text(axis.From + 4, middle + 4, g.Uninformative ? "uninformative: starts at the optimum" : "no stable rate tried", "start", 10, "#777");
            }

            if (g.Figures.LrCrit is { } crit && crit >= axis.Min && crit <= axis.Max)
            {
                svg.Diamond(axis.Map(crit), middle, 5, "#c62828", string.Create(CultureInfo.InvariantCulture, $"analytic bound {crit:G4}{(g.EdgeRatio is { } r ? $"; measured/analytic {r:G4}" : "")}"));
            }
        }

        var below = RateTicks(svg, axis, 8, layout.Bottom);
        svg.Height = Legend(svg, layout.Left, below,
        [
            (Swatch.Box, "#43a047", "stable interval measured"),
            (Swatch.Box, "#a5d6a7", "the same, no unstable rate tried above it"),
            (Swatch.Diamond, "#c62828", "analytic bound: 2/lambda_max, or 2(1+beta)/lambda_max for heavy-ball momentum"),
        ]);
        return svg.Render("stable learning-rate intervals with the analytic bound");
    }
}
