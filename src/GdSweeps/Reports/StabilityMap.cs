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
    public string StabilityMap(IReadOnlyList<GroupSummary> groups, IReadOnlyDictionary<RunId, IReadOnlyList<RunPoint>> byGroup)
    {
        var layout = Rows(groups, 8);
        var axis = RateAxis(byGroup, layout.Left);
        var svg = new Svg(Width, 0);
        foreach (var (g, lines, y, height) in layout.Rows)
        {
            RowLabel(svg, layout.Left, lines, y, height);
            var points = byGroup[g.GroupId];
            var grid = points.Where(r => !r.Refinement).GroupBy(r => r.LearningRate).OrderBy(r => r.Key).ToList();
            var rates = grid.Select(r => r.Key).ToList();
            var cells = new List<Cell>(rates.Count);
            for (var i = 0; i < rates.Count; i++)
            {
                var lo = i == 0 ? rates[i] / Math.Sqrt(rates.Count > 1 ? rates[1] / rates[0] : 10) : Math.Sqrt(rates[i - 1] * rates[i]);
                var hi = i == rates.Count - 1 ? rates[i] * Math.Sqrt(rates.Count > 1 ? rates[i] / rates[i - 1] : 10) : Math.Sqrt(rates[i] * rates[i + 1]);
                cells.Add(new Cell(Math.Max(axis.From, axis.Map(lo)), Math.Min(axis.To, axis.Map(hi)), rates[i], rates[i], RunStatuses.Worst(grid[i].Select(r => r.Status))));
            }

            foreach (var c in Merge(cells))
            {
                var rateText = c.Low == c.High
                    ? string.Create(CultureInfo.InvariantCulture, $"lr {c.Low:G4}")
                    : string.Create(CultureInfo.InvariantCulture, $"lr {c.Low:G4} to {c.High:G4}");
                svg.Rect(c.X0, y + 1, c.X1 - c.X0, height - 2, c.Status.Color(), $"{Label(g)}: {rateText}: {c.Status.Name()}");
            }

            foreach (var rate in points.Where(r => r.Refinement).GroupBy(r => r.LearningRate))
            {
                var status = RunStatuses.Worst(rate.Select(r => r.Status));
                svg.Rect(axis.Map(rate.Key) - 1.5, y + 1, 3, height - 2, status.Color(),
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
            .. RunStatuses.Rows.Select(f => (Swatch.Box, f.Color, f.Name)),
            (Swatch.Thin, "#555", "refinement run (its status's colour)"),
            (Swatch.Tick, "#000", "analytic bound lr_crit"),
        ];
        svg.Height = Legend(svg, layout.Left, below, entries);
        return svg.Render("stability map: outcome of every run by learning rate");
    }

    /// <summary>A span of the map's row: pixels, the rates it covers, and the (least stable) outcome there.</summary>
    private readonly record struct Cell(double X0, double X1, double Low, double High, RunStatus Status);

    /// <summary>
    /// Neighbouring rates of one outcome become one span, and rates packed closer than a pixel share one (showing the
    /// least stable of them): a row has at most as many spans as the figure has pixels, so a sweep of a hundred
    /// thousand rates draws as small a map as one of ten.
    /// </summary>
    private static List<Cell> Merge(List<Cell> cells)
    {
        var merged = new List<Cell>();
        foreach (var cell in cells)
        {
            if (merged.Count > 0 && merged[^1] is var last && (last.Status == cell.Status || last.X1 - last.X0 < 1 || cell.X1 - cell.X0 < 1)
                && (last.Status == cell.Status || cell.X1 - last.X0 < 1.5))
            {
                merged[^1] = new Cell(last.X0, cell.X1, last.Low, cell.High, RunStatuses.Worst([last.Status, cell.Status]));
            }
            else
            {
                merged.Add(cell);
            }
        }

        return merged;
    }
}
