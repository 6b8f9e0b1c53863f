using System.Text.RegularExpressions;
using GdSweeps.Reports;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reports;

/// <summary>
/// Every table row and figure label names its group by all the axes that vary, so no two read the same.
/// </summary>
[TestClass]
public sealed partial class LabelTests
{
    private const string Data = """
        datasets:
          - {name: a, x: [1, 100], y: [2, 200]}
          - {name: b, x: [1, 10], y: [2, 20]}
        transforms: [none, log1p]
        learning_rates: {logspace: {from: 1.0e-4, to: 1, count: 9}}
        """;

    [TestMethod]
    [DataRow("steps: [10, 1000]\nschedule: [constant, {warmup: 5}]")]
    [DataRow("w0: {linspace: {from: -5, to: 5, count: 100}}")]
    [DataRow("b0: [0, 1]\nmodel: affine\nloss: [mse, {huber: {delta: 2}}]")]
    [DataRow("optimizer: [gd, {momentum: {beta: [0.5, 0.9]}}]\nclip: [none, {value: 1}, {norm: 1}]")]
    public async Task No_two_rows_of_a_report_table_and_no_two_map_labels_read_the_same(string axes)
    {
        var dir = await Some.SweepAsync(Some.Config(Data + "\n" + axes + "\n", "labels.yaml"));

        var markdown = await File.ReadAllTextAsync(Path.Combine(dir, MarkdownReport.FileName));
        foreach (var table in markdown.Split("\n\n").Where(b => b.StartsWith('|')))
        {
            var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            Assert.IsNotEmpty(rows);
            Assert.HasCount(rows.Count, rows.Distinct().ToList(), table);
        }

        var html = await File.ReadAllTextAsync(Path.Combine(dir, HtmlReport.FileName));
        var map = html[html.IndexOf("<svg", StringComparison.Ordinal)..html.IndexOf("</svg>", StringComparison.Ordinal)];
        var labels = RowLabel().Matches(map).Select(m => string.Join(" ", LabelLine().Matches(m.Groups[1].Value).Select(l => l.Groups[1].Value))).ToList();
        Assert.IsGreaterThan(1, labels.Count);
        Assert.HasCount(labels.Count, labels.Distinct().ToList(), string.Join("\n", labels));
    }

    [TestMethod]
    public async Task A_label_names_each_varying_axis_and_no_fixed_one()
    {
        var dir = await Some.SweepAsync(Some.Config(Data + "\nsteps: [10, 1000]\n", "labels.yaml"));

        var markdown = await File.ReadAllTextAsync(Path.Combine(dir, MarkdownReport.FileName));

        StringAssert.Contains(markdown, "| transform | steps | stable on every dataset |");
        Assert.DoesNotContain("| optimizer |", markdown);
        var html = await File.ReadAllTextAsync(Path.Combine(dir, HtmlReport.FileName));
        StringAssert.Contains(html, "a / log1p / steps 1000");
    }

    /// <summary>A row's label in a figure: one text, a line of the label in each tspan.</summary>
    [GeneratedRegex("<text class=\"row-label\"[^>]*>(.*?)</text>")]
    private static partial Regex RowLabel();

    [GeneratedRegex("<tspan[^>]*>([^<]*)</tspan>")]
    private static partial Regex LabelLine();
}
