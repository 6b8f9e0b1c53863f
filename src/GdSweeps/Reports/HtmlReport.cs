using System.Globalization;
using System.Net;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>Writes <c>report.html</c>: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that leads with the answer.</summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    public static string Render(string sweepName, SweepAnalysis analysis, IReadOnlyList<EdgePanel> edgeCurves)
    {
        var groups = analysis.Summaries;
        var labels = analysis.Labels;
        var runs = analysis.Groups.ToDictionary(g => g.GroupId);
        var axes = labels.Columns("datasets");
        var axisHeaders = string.Concat(axes.Select(a => $"<th>{E(SettingLabels.Header(a))}</th>"));
        string AxisCells(Setting s) => string.Concat(axes.Select(a => $"<td class=\"t\">{E(SettingLabels.Value(s, a))}</td>"));
        var ci = CultureInfo.InvariantCulture;
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string N(double? v, string format = "G4") => MarkdownReport.Num(v, format);
        var html = new StringBuilder();
        html.Append(ci, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>GdSweeps: {E(sweepName)}</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; {"}"}
            table {"{"} border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; {"}"}
            th, td {"{"} border: 1px solid #ccc; padding: 3px 7px; text-align: right; {"}"}
            th {"{"} background: #f3f3f3; {"}"} td.t {"{"} text-align: left; {"}"}
            figure {"{"} margin: 1em 0 2em; overflow-x: auto; {"}"} figcaption {"{"} font-size: 13px; color: #555; {"}"}
            .note {"{"} color: #555; font-size: 14px; {"}"}
            </style></head><body>
            <h1>Sweep <code>{E(sweepName)}</code>: which learning rates keep gradient descent stable</h1>
            <p class="note">{E(MarkdownReport.CountsLine(analysis))}.
            Full-batch GD on a quadratic loss is stable if and only if lr &lt; lr_crit = 2/lambda_max of the loss Hessian (2(1+beta)/lambda_max for heavy-ball momentum).</p>
            <h2>One learning rate for every dataset?</h2>
            <table><tr>{axisHeaders}<th>stable on all datasets</th><th>converged on all datasets</th><th>answer</th></tr>

            """);
        foreach (var t in analysis.Transfer)
        {
            html.Append(ci, $"<tr>{AxisCells(t.Setting)}<td>{Interval(t.StableLow, t.StableHigh)}</td><td>{Interval(t.ConvergedLow, t.ConvergedHigh)}</td><td class=\"t\">{E(t.Statement)}</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var dataset in groups.GroupBy(g => g.Setting.Dataset))
        {
            var head = dataset.First().Figures;
            html.Append(ci, $"<h2>Dataset <code>{E(dataset.Key)}</code> (n = {head.Samples}, {head.Features} feature{(head.Features == 1 ? "" : "s")})</h2>\n");
            html.Append(ci, $"<table><tr>{axisHeaders}<th>dL/dw at w0</th><th>lambda_max</th><th>condition</th><th>lr_crit (analytic)</th><th>stable up to</th><th>first unstable</th><th>measured / analytic</th><th>converged for lr in</th><th>best lr</th><th>steps</th><th>final loss</th></tr>\n");
            foreach (var g in dataset)
            {
                var stable = g.Uninformative ? "uninformative: starts at the optimum" : N(g.MaxStableLr);
                var f = g.Figures;
                html.Append(ci, $"<tr>{AxisCells(g.Setting)}<td>{N(f.InitialGradient, "G6")}</td><td>{N(f.LambdaMax)}</td><td>{N(f.ConditionNumber)}</td><td>{N(f.LrCrit)}</td><td>{E(stable)}</td><td>{N(g.MinUnstableLr)}</td><td>{N(g.EdgeRatio)}</td><td>{Interval(g.MinConvergedLr, g.MaxConvergedLr)}</td><td>{N(g.BestLr)}</td><td>{g.BestConvergedAtStep?.ToString(ci) ?? "-"}</td><td>{N(g.BestFinalLoss)}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        var shown = groups.Take(60).ToList();
        html.Append("<h2>Figures</h2>\n");
        var shownRuns = shown.ToDictionary(g => g.GroupId, g => runs[g.GroupId]);
        var plots = new Plots(labels);
        html.Append(ci, $"<figure>{plots.StabilityMap(shown, shownRuns)}<figcaption>Stability map: every run, by learning rate (log scale), coloured by outcome; the black tick is the analytic bound.{(groups.Count > shown.Count ? $" The first {shown.Count} of {groups.Count} groups." : "")}</figcaption></figure>\n");
        html.Append(ci, $"<figure>{plots.StableIntervals(shown, shownRuns)}<figcaption>Stable intervals measured (bars) beside the analytic bound (diamonds).</figcaption></figure>\n");
        if (edgeCurves.Count > 0)
        {
            html.Append(ci, $"<figure>{plots.EdgeCurves(edgeCurves)}<figcaption>Loss against step for the learning rates just below and just above each stability edge.</figcaption></figure>\n");
        }

        html.Append("<p class=\"note\">Made by GdSweeps from the Parquet files beside this page; the rules are in docs/analysis.md.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static string Interval(double? low, double? high) =>
        low is null ? "-" : $"[{MarkdownReport.Num(low)}, {MarkdownReport.Num(high)}]";
}
