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
    /// <param name="command">The groups are a command trainer's: the bound is 2/sharpness_0.</param>
    public string StableIntervals(IReadOnlyList<GroupSummary> groups, IReadOnlyDictionary<RunId, IReadOnlyList<RunPoint>> byGroup, bool command = false)
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
                var x0 = axis.Map(byGroup[g.GroupId].Min(r => r.LearningRate));
                var x1 = axis.Map(high);
                svg.Rect(x0, middle - 5, Math.Max(x1 - x0, 2), 10, g.MinUnstableLr is null ? "#a5d6a7" : "#43a047",
                    string.Create(CultureInfo.InvariantCulture, $"{Label(g)}: converges up to {high:G4}{(g.MinUnstableLr is { } u ? $", not from {u:G4}" : ", nothing tried failed to")}"));
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
            (Swatch.Box, "#43a047", "rates measured to converge"),
            (Swatch.Box, "#a5d6a7", "the same, no rate tried above it failed to"),
            (Swatch.Diamond, "#c62828", command ? "lr_crit = 2/sharpness_0, from the sharpness reported at step 0" : Bounds(groups)),
        ]);
        return svg.Render("stable learning-rate intervals with the analytic bound");
    }

    /// <summary>The analytic bound of each optimizer the groups use, for the legend.</summary>
    private static string Bounds(IReadOnlyList<GroupSummary> groups)
    {
        var names = groups.Select(g => Configs.OptimizerSpec.BoundNameOf(g.Setting["optimizer"] as string)).OfType<string>().Distinct().ToList();
        return "analytic bound: " + (names.Count == 0 ? "none applies" : string.Join(", ", names));
    }
}
