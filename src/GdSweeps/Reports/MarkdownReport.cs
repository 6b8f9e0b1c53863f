using System.Globalization;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Training;

namespace GdSweeps.Reports;

/// <summary>
/// Writes <c>report.md</c>: the transfer answer, then per dataset a table of settings with the stable range measured
/// beside the analytic bound.
/// </summary>
internal static class MarkdownReport
{
    public const string FileName = "report.md";

    /// <summary>What the tables' words mean, said once in both reports.</summary>
    internal const string Glossary =
        "Full-batch gradient descent on a quadratic loss converges if and only if lr < lr_crit = 2/lambda_max of the loss Hessian "
        + "(2(1 + beta)/lambda_max for heavy-ball momentum, 2(1 + beta)/((1 + 2 beta) lambda_max) for Nesterov's), clipped or not: near the "
        + "optimum no step is capped. Converges up to is the largest learning rate tried below which no run diverged, was still moving away "
        + "from the optimum at the end, or only swung, held finite by a clip (bounded); first not converging the smallest at which one did. "
        + "A clipped run still capped at the end of its budget (in-transit) or that landed on the optimum by a capped step (landed) does not "
        + "vote. Finite up to, for clipped runs, is where the swing's loss crosses the divergence threshold. The converged range is the "
        + "consecutive rates tried around the fastest converging one at which every run converged; best lr the one that converged in the "
        + "fewest steps. Rules: docs/analysis.md.";

    /// <summary>
    /// The glossary a command trainer's sweep leads with: its bound comes from the sharpness its runs reported.
    /// </summary>
    internal const string CommandGlossary =
        "The runs are a command trainer's. For full-batch gradient descent the top Hessian eigenvalue (the sharpness) decides stability "
        + "along the steepest direction: lr < 2/sharpness. lr_crit = 2/sharpness_0 uses the sharpness the command reported at step 0, the bound on "
        + "the quadratic that matches the loss at the start; along training full-batch GD drives the sharpness up to about 2/lr (the edge of stability), "
        + "so the measured edge can lie above lr_crit (the sharpness came down) or below it (the sharpness rose), and the last column says which. "
        + "Converges up to is the largest learning rate tried below which no run diverged; first not converging the smallest at which a run diverged or "
        + "ended with its loss above its start or still growing; the converged range the consecutive rates tried around the fastest converging one at which "
        + "every run converged. Rules: docs/analysis.md.";

    /// <summary>The glossary for this sweep: the built-in models' bound, or a command's.</summary>
    internal static string GlossaryOf(SweepAnalysis analysis) => analysis.Command ? CommandGlossary : Glossary;

    public static string Render(string sweepName, SweepAnalysis analysis)
    {
        var md = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        var tables = new ReportTables(analysis);
        md.AppendLine(ci, $"# Sweep `{sweepName}`: which learning rates keep gradient descent stable");
        md.AppendLine();
        md.AppendLine(ci, $"{CountsLine(analysis)}.");
        var answers = Answer.Of(analysis);
        if (answers.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## The answer");
            foreach (var (dataset, sentences) in answers)
            {
                md.AppendLine();
                md.AppendLine(ci, $"**`{dataset}`**: {string.Join(" ", sentences)}");
            }
        }

        md.AppendLine();
        md.AppendLine(GlossaryOf(analysis));
        if (tables.AcrossDatasets)
        {
            md.AppendLine();
            md.AppendLine("## One learning rate for every dataset?");
            md.AppendLine();
            md.Append(tables.Transfer().Markdown());
        }

        foreach (var dataset in tables.Datasets)
        {
            var groups = dataset.ToList();
            md.AppendLine();
            md.AppendLine(ci, $"## Dataset `{dataset.Key}` ({DatasetLine(groups[0].Figures)})");
            md.AppendLine();
            md.Append(tables.Dataset(groups).Markdown());
            if (tables.Preprocessing(groups) is { } preprocessing)
            {
                md.AppendLine();
                md.AppendLine(ci, $"### Preprocessing compared in the original units of y");
                md.AppendLine();
                md.Append(preprocessing.Markdown());
            }

            if (tables.Speed(groups) is { } speed)
            {
                md.AppendLine();
                md.AppendLine("### Speed: theory beside measurement");
                md.AppendLine();
                md.Append(speed.Markdown());
            }
        }

        return md.ToString();
    }

    /// <summary><c>n = 20, 1 feature</c>.</summary>
    internal static string DatasetLine(ProblemFigures f) => $"n = {f.Samples.ToString(CultureInfo.InvariantCulture)}, {Plural.Of(f.Features, "feature")}";

    /// <summary>
    /// <c>483 runs (83 of them refinement): 120 converged, ...</c>: the total, refinement included, and every status
    /// that occurred.
    /// </summary>
    public static string CountsLine(SweepAnalysis analysis)
    {
        var refinement = analysis.Summaries.Sum(g => g.RefinementRuns);
        var statuses = string.Join(", ", analysis.Counts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {kv.Key.Name()}"));
        return $"{Plural.Of(analysis.Runs, "run")}{(refinement > 0 ? $" ({refinement} of them refinement)" : "")}: {statuses}";
    }
}
