using System.Globalization;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>Writes <c>report.md</c>: the transfer answer, then per dataset a table of settings with the stable range measured beside the analytic bound.</summary>
public static class MarkdownReport
{
    public const string FileName = "report.md";

    public static string Render(string sweepName, SweepAnalysis analysis)
    {
        var md = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        var labels = analysis.Labels;
        md.AppendLine(ci, $"# Sweep `{sweepName}`: which learning rates keep gradient descent stable");
        md.AppendLine();
        md.AppendLine(ci, $"{CountsLine(analysis)}.");
        md.AppendLine();
        md.AppendLine("Full-batch gradient descent on a quadratic loss is stable if and only if `lr < lr_crit = 2/lambda_max` of the loss Hessian "
            + "(`2(1 + beta)/lambda_max` for heavy-ball momentum). *Stable up to* is the largest learning rate tried below which no run diverged; "
            + "*first unstable* the smallest at which a run diverged or was still moving away from the optimum at the end; "
            + "*best lr* the one that converged in the fewest steps. Rules: docs/analysis.md.");

        md.AppendLine();
        md.AppendLine("## One learning rate for every dataset?");
        md.AppendLine();
        var transferAxes = labels.Columns("datasets");
        md.AppendLine(ci, $"| {string.Join(" | ", transferAxes.Select(SettingLabels.Header))} | answer |");
        md.AppendLine(ci, $"|{string.Concat(transferAxes.Select(_ => "---|"))}---|");
        foreach (var t in analysis.Transfer)
        {
            md.AppendLine(ci, $"| {string.Join(" | ", transferAxes.Select(a => SettingLabels.Value(t.Setting, a)))} | {t.Statement} |");
        }

        foreach (var dataset in analysis.Summaries.GroupBy(g => g.Setting.Dataset))
        {
            var head = dataset.First().Figures;
            md.AppendLine();
            md.AppendLine(ci, $"## Dataset `{dataset.Key}` (n = {head.Samples}, {head.Features} feature{(head.Features == 1 ? "" : "s")})");
            md.AppendLine();
            var axes = labels.Columns("datasets");
            md.AppendLine(ci, $"| {string.Join(" | ", axes.Select(SettingLabels.Header))} | dL/dw at w0 | lambda_max | condition | lr_crit (analytic) | stable up to | first unstable | measured / analytic | converged for lr in | best lr | steps | final loss |");
            md.AppendLine(ci, $"|{string.Concat(axes.Select(_ => "---|"))}---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var g in dataset)
            {
                var stable = g.Uninformative ? "uninformative: starts at the optimum" : Num(g.MaxStableLr);
                var converged = g.MinConvergedLr is null ? "-" : $"[{Num(g.MinConvergedLr)}, {Num(g.MaxConvergedLr)}]";
                var f = g.Figures;
                md.AppendLine(ci,
                    $"| {string.Join(" | ", axes.Select(a => SettingLabels.Value(g.Setting, a)))} | {Num(f.InitialGradient, "G6")} | {Num(f.LambdaMax)} | {Num(f.ConditionNumber)} | {Num(f.LrCrit)} | {stable} | {Num(g.MinUnstableLr)} | {Num(g.EdgeRatio)} | {converged} | {Num(g.BestLr)} | {(g.BestConvergedAtStep?.ToString(ci) ?? "-")} | {Num(g.BestFinalLoss)} |");
            }
        }

        return md.ToString();
    }

    /// <summary><c>400 runs: 120 converged, ...</c>: the total and every status that occurred.</summary>
    public static string CountsLine(SweepAnalysis analysis) =>
        $"{analysis.Runs} runs: {string.Join(", ", analysis.Counts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {kv.Key.Name()}"))}";

    public static string Num(double? value, string format = "G4") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
