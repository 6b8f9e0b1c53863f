using System.Globalization;
using System.Net;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Grid;

namespace GdSweeps.Reports;

/// <summary>
/// Writes <c>report.html</c>: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that leads with
/// the answer.
/// </summary>
internal static class HtmlReport
{
    public const string FileName = "report.html";

    /// <summary>At most this many groups in the map and the intervals, one row each.</summary>
    public const int MaxRows = GroupCollector.KeptForFigures;

    /// <summary>
    /// The page is 1360 px at most (a 1400 px window less a scroll bar), figures are drawn for its text column, and a
    /// table wider than the page scrolls
    /// inside its own box; figures never wrap (<c>td.n</c>, <c>.nw</c>) inside a token.
    /// </summary>
    internal const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1360px; padding: 0 20px; color: #222; box-sizing: border-box; }
        .scroll { overflow-x: auto; max-width: 100%; margin: 0.5em 0 0.5em; }
        table { border-collapse: collapse; font-size: 12.5px; }
        th, td { border: 1px solid #ccc; padding: 3px 5px; text-align: right; vertical-align: top; }
        th { background: #f3f3f3; font-weight: 600; } .t { text-align: left; } td.n { white-space: nowrap; }
        .nw { white-space: nowrap; }
        figure { margin: 1.5em 0 2em; } figcaption { font-size: 13px; color: #555; margin-top: 0.4em; }
        .note { color: #555; font-size: 14px; }
        .answer { font-size: 15px; }
        """;

    public static string Render(string sweepName, SweepAnalysis analysis, IReadOnlyList<EdgePanel> edgeCurves, IReadOnlyList<SharpnessPanel>? sharpness = null) =>
        Tables(sweepName, analysis) + Figures(analysis, Drawn(analysis), edgeCurves, sharpness ?? []);

    /// <summary>
    /// The runs the figures draw, by group: the first <see cref="MaxRows"/> groups', the groups' own lists or, with
    /// <paramref name="copy"/>, copies (for a render while the runs still come in).
    /// </summary>
    public static Dictionary<RunId, IReadOnlyList<RunPoint>> Drawn(SweepAnalysis analysis, bool copy = false)
    {
        var runs = analysis.Groups.ToDictionary(g => g.GroupId);
        return analysis.Summaries.Take(MaxRows).ToDictionary(g => g.GroupId, g => copy ? [.. runs[g.GroupId].Points] : (IReadOnlyList<RunPoint>)runs[g.GroupId].Points);
    }

    /// <summary>The page up to its figures: the answer and the tables (<see cref="Render"/> is this, then <see cref="Figures"/>).</summary>
    public static string Tables(string sweepName, SweepAnalysis analysis)
    {
        var ci = CultureInfo.InvariantCulture;
        var tables = new ReportTables(analysis);
        var html = new StringBuilder();
        html.Append(ci, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>GdSweeps: {E(sweepName)}</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            {Style}
            </style></head><body>
            <h1>Sweep <code>{E(sweepName)}</code>: which learning rates keep gradient descent stable</h1>
            <p class="note">{ReportTable.Tokens(MarkdownReport.CountsLine(analysis))}.</p>

            """);
        var answers = Answer.Of(analysis);
        if (answers.Count > 0)
        {
            html.Append("<h2>The answer</h2>\n");
            foreach (var (dataset, sentences) in answers)
            {
                html.Append(ci, $"<p class=\"answer\"><b><code>{E(dataset)}</code></b>: {ReportTable.Tokens(string.Join(" ", sentences))}</p>\n");
            }
        }

        html.Append(ci, $"<p class=\"note\">{ReportTable.Tokens(MarkdownReport.GlossaryOf(analysis))}</p>\n");
        if (tables.AcrossDatasets)
        {
            html.Append("<h2>One learning rate for every dataset?</h2>\n").Append(tables.Transfer().Html());
        }

        foreach (var dataset in tables.Datasets)
        {
            var groups = dataset.ToList();
            html.Append(ci, $"<h2>Dataset <code>{E(dataset.Key)}</code> ({E(MarkdownReport.DatasetLine(groups[0].Figures))})</h2>\n");
            html.Append(tables.Dataset(groups).Html());
            if (tables.Preprocessing(groups) is { } preprocessing)
            {
                html.Append("<h3>Preprocessing compared in the original units of y</h3>\n").Append(preprocessing.Html());
            }

            if (tables.Speed(groups) is { } speed)
            {
                html.Append("<h3>Speed: theory beside measurement</h3>\n").Append(speed.Html());
            }
        }

        return html.ToString();
    }

    /// <summary>
    /// The page from its figures to its end: the stability map, the stable intervals and the curves around the edges;
    /// <paramref name="points"/> holds the runs of the groups drawn (<see cref="Drawn"/>).
    /// </summary>
    public static string Figures(SweepAnalysis analysis, IReadOnlyDictionary<RunId, IReadOnlyList<RunPoint>> points, IReadOnlyList<EdgePanel> edgeCurves, IReadOnlyList<SharpnessPanel> sharpness)
    {
        var ci = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        var groups = analysis.Summaries;
        var shown = groups.Take(MaxRows).ToList();
        var plots = new Plots(analysis.Labels);
        var firstOf = groups.Count > shown.Count ? $" The first {shown.Count} of {groups.Count} groups." : "";
        html.Append("<h2>Figures</h2>\n");
        html.Append(ci, $"<figure>{plots.StabilityMap(shown, points)}<figcaption>Stability map: every run of the grid by learning rate (log scale), coloured by its outcome (the least stable seed); refinement runs as thin marks; the black tick is {(analysis.Command ? "lr_crit = 2/sharpness_0" : "the analytic bound")}.{firstOf}</figcaption></figure>\n");
        html.Append(ci, $"<figure>{plots.StableIntervals(shown, points, analysis.Command)}<figcaption>Stable intervals measured (bars) beside {(analysis.Command ? "lr_crit = 2/sharpness_0" : "the analytic bound")} (diamonds).{firstOf}</figcaption></figure>\n");
        if (edgeCurves.Count > 0)
        {
            var withEdge = groups.Count(Reporting.HasEdge);
            var more = withEdge > edgeCurves.Count ? $" The first {edgeCurves.Count} of {Plural.Of(withEdge, "group")} with an edge." : "";
            html.Append(ci, $"<figure>{plots.EdgeCurves(edgeCurves)}<figcaption>Loss against step for the learning rates just below and just above each group's stability edge (one seed).{more}</figcaption></figure>\n");
        }

        if (sharpness.Count > 0)
        {
            html.Append(ci, $"<figure>{plots.SharpnessCurves(sharpness)}<figcaption>Sharpness (the top Hessian eigenvalue the command reported) against step for the learning rates just below and just above each group's stability edge, each beside its own 2/lr (dashed, same colour): full-batch GD is stable along the top direction while the sharpness stays below 2/lr.</figcaption></figure>\n");
        }

        html.Append("<p class=\"note\">Made by GdSweeps from the Parquet files beside this page; the rules are in docs/analysis.md.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
