using System.Globalization;
using System.Text;
using GdSweeps.Analysis;

namespace GdSweeps.Reports;

/// <summary>Writes <c>report.md</c>: per dataset, a table of transforms and clip thresholds with the stable range the grid found beside the analytic bound.</summary>
public static class MarkdownReport
{
    public const string FileName = "report.md";

    public static string Render(string sweepName, IReadOnlyList<GroupSummary> groups, IReadOnlyDictionary<string, long> statusCounts)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Sweep `{sweepName}`: which learning rates keep gradient descent stable");
        md.AppendLine();
        var total = statusCounts.Values.Sum();
        md.AppendLine(CultureInfo.InvariantCulture, $"{total} runs: {string.Join(", ", statusCounts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {kv.Key}"))}.");
        md.AppendLine();
        md.AppendLine("Full-batch gradient descent on `y = w*x` with MSE is stable if and only if `lr < lr_crit = 2/lambda_max`, where `lambda_max = (2/n) * sum(x^2)` over the transformed x. "
            + "*stable up to* is the largest grid learning rate below which no run diverged; *first diverged* the smallest that did; "
            + "*best lr* the one that converged in the fewest steps. Runs that start at the optimum cannot show stability and are marked so.");
        foreach (var dataset in groups.GroupBy(g => g.Dataset))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Dataset `{dataset.Key}` (n = {dataset.First().Samples})");
            md.AppendLine();
            md.AppendLine("| transform | clip | w0 | dL/dw at w0 | lambda_max | lr_crit (analytic) | stable up to (grid) | first diverged (grid) | converged for lr in | best lr | steps to converge | final loss at best |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var g in dataset)
            {
                var stable = g.Uninformative ? "uninformative: starts at the optimum" : Num(g.MaxStableLr);
                var converged = g.MinConvergedLr is null ? "-" : $"[{Num(g.MinConvergedLr)}, {Num(g.MaxConvergedLr)}]";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {g.Transform} | {(g.Clip is null ? "none" : Num(g.Clip))} | {Num(g.W0)} | {Num(g.InitialGradient, "G6")} | {Num(g.LambdaMax)} | {Num(g.LrCrit)} | {stable} | {Num(g.MinDivergedLr)} | {converged} | {Num(g.BestLr)} | {(g.BestConvergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? "-")} | {Num(g.BestFinalLoss)} |");
            }
        }

        return md.ToString();
    }

    private static string Num(double? value, string format = "G4") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
