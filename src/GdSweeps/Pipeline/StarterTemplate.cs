using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GdSweeps.Configs;
using GdSweeps.Transforms;

namespace GdSweeps.Pipeline;

/// <summary>
/// The text of the starter config: every key a first sweep needs, each with a comment saying what it does.
/// </summary>
internal static partial class StarterTemplate
{
    /// <summary>What the starter says.</summary>
    /// <param name="Bounds">lr_crit of every (dataset, transform): the learning rates are chosen to bracket
    /// them.</param>
    public sealed record Values(string Sweep, string File, StarterCsv? Csv, ModelKind Model, IReadOnlyList<TransformKind[]> Transforms, IReadOnlyList<double> Bounds);

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "yes", "no", "on", "off", "y", "n", "null", "none" };

    [GeneratedRegex(@"^[A-Za-z0-9_./][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainScalar();

    public static string Render(Values v)
    {
        var ci = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        void Keyed(string yaml, string comment) => Line($"{yaml.PadRight(33)} # {comment}");

        Line("# A starter sweep, written by `gdsweeps init`: it validates and runs as written.");
        Line($"#   gdsweeps validate {v.File}    # its axes and run count");
        Line($"#   gdsweeps run {v.File}         # results/{v.Sweep}/: runs, curves, summary, report.md and report.html");
        Line("# Every key, its default and an example: docs/config.md. For completion and checks in an editor, run");
        Line("#   gdsweeps schema > gdsweeps.schema.json   and make this the first line:");
        Line("#   # yaml-language-server: $schema=gdsweeps.schema.json");
        Keyed($"name: {v.Sweep}", $"results go to results/{v.Sweep}/");
        Line("datasets:");
        if (v.Csv is { } csv)
        {
            Line($"  - name: {Scalar(csv.Dataset.Name)}");
            Keyed($"    csv: {Scalar(csv.RelativePath)}", "relative to this file");
            Keyed($"    x: [{string.Join(", ", csv.X.Select(Scalar))}]", csv.X.Count == 1 ? "the feature column" : "the feature columns");
            Keyed($"    y: {Scalar(csv.Y)}", "the target column");
            Keyed(
                $"    missing: {(csv.DropMissing ? "drop" : "error")}",
                csv.DropMissing ? "some rows have an empty or NA cell: they are dropped ('error' refuses them)" : "a missing cell is an error naming its line; 'drop' skips its row");
        }
        else
        {
            Line("  # y = 2x at two scales: raw x = {1, 100} allows only a tiny learning rate, x = {1, 10} a larger one.");
            Line("  - name: x1to100");
            Line("    x: [1, 100]");
            Line("    y: [2, 200]");
            Line("  - name: x1to10");
            Line("    x: [1, 10]");
            Line("    y: [2, 20]");
        }

        var transforms = v.Transforms.Select(p => p.Length == 1 ? Transform.Name(p[0]) : $"[{string.Join(", ", p.Select(Transform.Name))}]");
        Keyed($"transforms: [{string.Join(", ", transforms)}]", "preprocessing, fitted on each dataset; also log, minmax, maxabs, robust");
        Keyed(
            $"model: {v.Model.Name()}",
            v.Model == ModelKind.Linear ? "y = w*x; affine adds a bias: y = w*x + b" : "y = X w + b; linear has no bias");
        Keyed("loss: mse", "mean((pred - y)^2); or huber");
        Keyed("optimizer: gd", "full-batch gradient descent; also sgd, momentum, adam, rmsprop, ...");
        Keyed($"w0: {(v.Csv is null ? 1 : 0)}", "where every weight starts");
        var (low, high) = Decades(v.Bounds);
        if (v.Bounds.Count > 0)
        {
            Line(string.Create(ci, $"# The step sizes, 4 a decade. lr_crit = 2/lambda_max of these data lies between {v.Bounds.Min():G2} and {v.Bounds.Max():G2}:"));
            Line("# the rates reach two decades below the smallest and one above the largest, so every stability edge is seen.");
        }

        Line("learning_rates:");
        Line($"  logspace: {{from: {Power(low)}, to: {Power(high)}, per_decade: 4}}");
        Keyed("clip: [none, 10]", "a cap on the gradient norm; none = no clipping");
        Keyed("steps: 1000", "the step budget of every run");
        Keyed("refine: true", "bisect each stability edge to 1%");
        return text.ToString();
    }

    /// <summary>The decades of the rates: two below the smallest bound, one above the largest.</summary>
    private static (int Low, int High) Decades(IReadOnlyList<double> bounds) =>
        bounds.Count == 0 ? (-6, 1) : ((int)Math.Floor(Math.Log10(bounds.Min())) - 2, (int)Math.Ceiling(Math.Log10(bounds.Max())) + 1);

    /// <summary>
    /// 10^k as YAML reads a float everywhere (1.0e-6, not 1e-6, which YAML 1.1 readers take for text).
    /// </summary>
    private static string Power(int k) => k < 0 ? $"1.0e{k}" : Math.Pow(10, k).ToString("0", CultureInfo.InvariantCulture);

    /// <summary>A name or path as a YAML scalar: plain when it reads back as itself, else single-quoted.</summary>
    internal static string Scalar(string text) =>
        PlainScalar().IsMatch(text) && !Reserved.Contains(text) ? text : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
