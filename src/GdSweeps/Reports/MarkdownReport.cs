using System.Globalization;
using System.Text;
using GdSweeps.Analysis;

namespace GdSweeps.Reports;

/// <summary>Writes <c>report.md</c>: per dataset, a table of settings with the stable range measured beside the analytic bound, then the transfer answer.</summary>
public static class MarkdownReport
{
    public const string FileName = "report.md";

    public static string Render(string sweepName, IReadOnlyList<GroupSummary> groups, IReadOnlyList<TransferSummary> transfer, IReadOnlyDictionary<string, long> statusCounts)
    {
        var md = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        md.AppendLine(ci, $"# Sweep `{sweepName}`: which learning rates keep gradient descent stable");
        md.AppendLine();
        var total = statusCounts.Values.Sum();
        md.AppendLine(ci, $"{total} runs: {string.Join(", ", statusCounts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {kv.Key}"))}.");
        md.AppendLine();
        md.AppendLine("Full-batch gradient descent on a quadratic loss is stable if and only if `lr < lr_crit = 2/lambda_max` of the loss Hessian "
            + "(`2(1 + beta)/lambda_max` for heavy-ball momentum). *Stable up to* is the largest learning rate tried below which no run diverged; "
            + "*first unstable* the smallest at which a run diverged or was still moving away from the optimum at the end; "
            + "*best lr* the one that converged in the fewest steps. Rules: docs/analysis.md.");

        md.AppendLine();
        md.AppendLine("## One learning rate for every dataset?");
        md.AppendLine();
        md.AppendLine("| transform | optimizer | clip | answer |");
        md.AppendLine("|---|---|---|---|");
        foreach (var t in transfer)
        {
            md.AppendLine(ci, $"| {t.Transform} | {t.Optimizer} | {Clip(t.Clip, t.ClipMode)} | {t.Statement} |");
        }

        foreach (var dataset in groups.GroupBy(g => g.Dataset))
        {
            var head = dataset.First();
            md.AppendLine();
            md.AppendLine(ci, $"## Dataset `{dataset.Key}` (n = {head.Samples}, {head.Features} feature{(head.Features == 1 ? "" : "s")})");
            md.AppendLine();
            md.AppendLine("| transform | model | loss | optimizer | clip | w0 | dL/dw at w0 | lambda_max | condition | lr_crit (analytic) | stable up to | first unstable | measured / analytic | converged for lr in | best lr | steps | final loss |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var g in dataset)
            {
                var stable = g.Uninformative ? "uninformative: starts at the optimum" : Num(g.MaxStableLr);
                var converged = g.MinConvergedLr is null ? "-" : $"[{Num(g.MinConvergedLr)}, {Num(g.MaxConvergedLr)}]";
                md.AppendLine(ci,
                    $"| {g.Transform} | {g.Model} | {g.Loss} | {g.Optimizer} | {Clip(g.Clip, g.ClipMode)} | {g.W0} | {Num(g.InitialGradient, "G6")} | {Num(g.LambdaMax)} | {Num(g.ConditionNumber)} | {Num(g.LrCrit)} | {stable} | {Num(g.MinUnstableLr)} | {Num(g.EdgeRatio)} | {converged} | {Num(g.BestLr)} | {(g.BestConvergedAtStep?.ToString(ci) ?? "-")} | {Num(g.BestFinalLoss)} |");
            }
        }

        return md.ToString();
    }

    public static string Clip(double? clip, string? mode) =>
        clip is null ? "none" : mode == "value" ? $"value {Num(clip)}" : Num(clip);

    public static string Num(double? value, string format = "G4") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
