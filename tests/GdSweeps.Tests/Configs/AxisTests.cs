using System.Text.Json.Nodes;
using GdSweeps.Analysis;
using GdSweeps.Configs.Axes;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Configs;

/// <summary>
/// An axis declares everything about itself; past the grid, every stage is built from the axes by name.
/// </summary>
[TestClass]
public sealed class AxisTests
{
    /// <summary>
    /// A synthetic axis, as an axis's file declares one: its reader, its stored column, and how it names a group.
    /// </summary>
    private static readonly AxisKind<double> Warmth = new(
        "warmth",
        new JsonObject { ["type"] = "number" },
        (reader, node) => reader.Numbers(node, "warmth"),
        Values.NumberPattern,
        Values.R,
        new AxisStore([AxisColumns.Value<double, double>("warmth", v => v, "a synthetic axis's value")], ["warmth"], Named: true),
        defaults: [1.0]);

    /// <summary>
    /// The seed sweep with the synthetic axis registered before the seeds, taking <paramref name="values"/>.
    /// </summary>
    private static SweepPlan WithWarmth(params double[] values)
    {
        var seed = Some.Config().Config;
        var axes = new AxisSet(seed.Axes.All.SelectMany(a => a.Kind == SweepAxes.Seeds ? [Warmth.Of(values), a] : new[] { a }));
        return SweepPlan.Build(seed with { Axes = axes });
    }

    [TestMethod]
    public async Task A_registered_axis_reaches_the_identity_the_runs_the_setting_the_summaries_the_labels_and_compare_with_no_other_code()
    {
        var work = Some.TempDir();
        var a = await Some.SweepAsync(WithWarmth(1, 2), directory: Path.Combine(work, "a"));
        var b = await Some.SweepAsync(WithWarmth(2, 3), directory: Path.Combine(work, "b"));

        // The identity: each value its own groups, each run its own id.
        var runs = Some.Runs(WithWarmth(1, 2));
        Assert.HasCount(800, runs.Select(r => r.Id).Distinct().ToList());
        Assert.HasCount(32, runs.Select(r => r.GroupId).Distinct().ToList());

        // The runs' column and the summary's, and the setting read back from them.
        var part = Directory.GetFiles(Path.Combine(a, ResultFolder.RunsFolder), "*.parquet")[0];
        var schema = await RunSchema.ReadAsync(part, CancellationToken.None);
        Assert.IsNotNull(schema.Runs.Find("warmth"));
        Assert.AreEqual("warmth", schema.Setting.Axes.Single(x => x.Axis == "warmth").Label);
        var summaryPath = Path.Combine(a, SummaryFiles.SummaryFileName);
        var summary = (await (await Tables.OfFileAsync<GroupSummary>(summaryPath, default)).ReadAsync(summaryPath)).Single();
        CollectionAssert.AreEquivalent(new[] { 1.0, 2.0 }, summary.Get<double>("warmth").Distinct().ToArray());
        var transferPath = Path.Combine(a, SummaryFiles.TransferFileName);
        var transfer = (await (await Tables.OfFileAsync<TransferSummary>(transferPath, default)).ReadAsync(transferPath)).Single();
        CollectionAssert.AreEquivalent(new[] { 1.0, 2.0 }, transfer.Get<double>("warmth").Distinct().ToArray());

        // The labels: it varies, so every table has its column and every figure names it, with its name (the axis said so).
        StringAssert.Contains(File.ReadAllText(Path.Combine(a, "report.md")), "| transform | clip | warmth |");
        var html = File.ReadAllText(Path.Combine(a, "report.html"));
        StringAssert.Contains(html, "clip none / warmth 1");
        StringAssert.Contains(html, "clip none / warmth 2");

        // Compare: a group matches its like in the other sweep by the new axis's value too.
        var outcome = await Compare.RunAsync(a, b, null, CancellationToken.None);
        Assert.AreEqual(16, outcome.Groups.Count(g => g.In == "both"));
        Assert.IsTrue(outcome.Groups.Where(g => g.In == "both").All(g => Equals(g.Setting["warmth"], 2.0)));
        Assert.AreEqual(16, outcome.Groups.Count(g => g.In == "a only"));
        StringAssert.Contains(Compare.Text(outcome), "warmth 3");
    }

    [TestMethod]
    public void Every_registered_axis_but_the_free_ones_names_a_group_by_columns_it_stores()
    {
        foreach (var kind in SweepAxes.All)
        {
            var columns = kind.Store.Columns.Select(c => c.Name).ToList();
            if (kind == SweepAxes.LearningRates)
            {
                Assert.IsEmpty(columns, "the learning rate is stored by the runner: refinement adds rates beyond the axis");
                continue;
            }

            Assert.IsNotEmpty(columns, kind.Name);
            Assert.AreEqual(kind == SweepAxes.Seeds, kind.Free, kind.Name);
            CollectionAssert.IsSubsetOf(kind.Store.Setting.ToList(), columns, kind.Name);
            if (!kind.Free)
            {
                Assert.Contains(kind.Store.SettingOf(kind.Name)!.Label, columns, kind.Name);
            }
        }
    }

    [TestMethod]
    public void A_command_sweep_stores_none_of_the_built_in_models_axes_and_each_parameter_before_the_seed()
    {
        var plan = SweepPlan.Parse("""
            datasets: [{name: a, x: [1, 2], y: [2, 4]}]
            transforms: none
            learning_rates: [0.1, 1]
            params: {width: [8, 16], act: [tanh, relu]}
            trainer: {command: [/bin/echo, "{run_json}"]}
            """, "command.yaml");

        var names = RunSchema.For(plan.Config).Runs.Columns.Select(c => c.Name).ToList();

        foreach (var kind in SweepAxes.All.Where(k => k.BuiltInOnly))
        {
            foreach (var column in kind.Store.Columns)
            {
                Assert.DoesNotContain(column.Name, names);
            }
        }

        Assert.AreEqual(names.IndexOf("seed") - 2, names.IndexOf("param_width"));
        Assert.AreEqual(names.IndexOf("seed") - 1, names.IndexOf("param_act"));
        CollectionAssert.AreEqual(
            new[] { "datasets", "transforms", "steps", "clip", "width", "act" },
            SettingSchema.For(plan.Config).Axes.Select(a => a.Axis).ToArray());
    }
}
