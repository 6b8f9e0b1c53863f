using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Analysis;

/// <summary>
/// Reducing each group as it completes (what keeps a sweep's memory flat in its runs) gives the analysis of every run
/// held at once, whatever order the parts come in.
/// </summary>
[TestClass]
public sealed class GroupCollectorTests
{
    /// <summary>90 groups (more than the figures draw) of 2 seeds by 40 rates, with edges; one dataset or two.</summary>
    private static string Yaml(bool twoDatasets) => """
        name: many-groups
        datasets:
          - {name: small, x: [1, 2, 3, 4], y: [2.1, 3.9, 6.2, 7.8]}

        """ + (twoDatasets ? "  - {name: wide, x: [1, 5, 9], y: [2, 10.5, 17]}\n" : "") + """
        transforms: none
        w0: {linspace: {from: -5, to: 5, count: COUNT}}
        learning_rates: {logspace: {from: 1.0e-3, to: 1, count: 40}}
        clip: [none, 1, 10]
        seeds: [0, 1]
        steps: 60
        """.Replace("COUNT", twoDatasets ? "15" : "30", StringComparison.Ordinal);

    [TestMethod]
    [DataRow(false, 7, 0, DisplayName = "one dataset, parts of 7 runs, in grid order")]
    [DataRow(false, 7, 1, DisplayName = "one dataset, parts of 7 runs, shuffled")]
    [DataRow(false, 500, 2, DisplayName = "one dataset, parts of 500 runs (many groups each), shuffled")]
    [DataRow(true, 33, 3, DisplayName = "two datasets, parts of 33 runs, shuffled")]
    public async Task Groups_reduced_as_they_complete_give_the_analysis_of_every_run_at_once(bool twoDatasets, int runsPerPart, int shuffle)
    {
        var plan = Some.Config(Yaml(twoDatasets));
        var grid = new SweepGrid(plan);
        var folder = await Some.SweepAsync(plan, batchSize: runsPerPart);
        var parts = Directory.GetFiles(Path.Combine(folder, "runs"), "*.parquet").Order(StringComparer.Ordinal).ToList();
        if (shuffle > 0)
        {
            new Random(shuffle).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(parts));
        }

        var schema = await RunSchema.ReadAsync(parts[0], CancellationToken.None);
        var whole = new GroupCollector(schema);
        var reducing = new GroupCollector(schema);
        reducing.ReduceAsComplete(grid.Count, oneDataset: !twoDatasets);
        var mostHeld = 0;
        foreach (var part in parts)
        {
            foreach (var collector in new[] { whole, reducing })
            {
                await collector.ReadAsync(part, CancellationToken.None);
            }

            mostHeld = Math.Max(mostHeld, reducing.Groups.Count(g => g.HasPoints));
            if (part == parts[parts.Count / 2])
            {
                _ = reducing.Analyze(); // as a running sweep's report does: groups still filling are analysed, not reduced
            }
        }

        Assert.IsFalse(reducing.NeedsRereading);
        var groups = reducing.Groups;
        Assert.AreEqual(90, groups.Count);
        Assert.IsTrue(groups.All(g => g.Summary is not null), "every group holds all its runs once every part is read: each is reduced");
        CollectionAssert.AreEqual(groups.Take(GroupCollector.KeptForFigures).ToList(), groups.Where(g => g.HasPoints).ToList(),
            "the first groups in grid order keep their points for the figures; the others let them go");
        if (shuffle == 0)
        {
            Assert.IsTrue(mostHeld <= GroupCollector.KeptForFigures + 2, $"parts in grid order: at most the kept groups and the one being filled hold points (held {mostHeld})");
        }

        var (expected, actual) = (whole.Analyze(), reducing.Analyze());
        Assert.AreEqual(MarkdownReport.Render("s", expected), MarkdownReport.Render("s", actual));
        Assert.AreEqual(HtmlReport.Render("s", expected, []), HtmlReport.Render("s", actual, []));
        CollectionAssert.AreEqual(expected.Transfer.Select(t => t.Statement).ToList(), actual.Transfer.Select(t => t.Statement).ToList());
        CollectionAssert.AreEqual(expected.Counts.ToList(), actual.Counts.ToList());
        Assert.IsTrue(expected.EdgeRuns.Any(e => e.Count == 4), "the sweep has edges to draw");

        // The loss-curve panels draw the first groups with an edge; a reduced group past them lets its edge runs go.
        var withEdge = Enumerable.Range(0, expected.Groups.Count).Where(i => Reporting.HasEdge(expected.Summaries[i])).ToList();
        Assert.IsTrue(withEdge.Count > Reporting.MaxPanels, $"more groups with an edge ({withEdge.Count}) than the panels draw");
        var drawn = withEdge.Take(Reporting.MaxPanels).ToHashSet();
        for (var i = 0; i < expected.Groups.Count; i++)
        {
            if (!drawn.Contains(i))
            {
                Assert.AreEqual(0, actual.EdgeRuns[i].Count, $"group {i} is not drawn: its edge runs were let go");
                continue;
            }

            CollectionAssert.AreEqual(expected.EdgeRuns[i].ToList(), actual.EdgeRuns[i].ToList(), $"edge runs of group {i}");
            CollectionAssert.AreEqual(expected.EdgeRuns[i].Select(whole.SourceOf).ToList(), actual.EdgeRuns[i].Select(reducing.SourceOf).ToList(),
                $"the parts holding group {i}'s edge runs, where their curves are read");
        }
    }

    [TestMethod]
    [DataRow(false, 7, DisplayName = "one dataset, parts of 7 runs")]
    [DataRow(true, 33, DisplayName = "two datasets, parts of 33 runs")]
    public async Task A_refined_sweep_read_last_part_first_reduces_its_groups_as_they_complete_to_the_analysis_of_every_run(bool twoDatasets, int runsPerPart)
    {
        var plan = Some.Config(Yaml(twoDatasets) + "\nrefine: 0.01\n");
        var grid = new SweepGrid(plan);
        var folder = await Some.SweepAsync(plan, batchSize: runsPerPart);
        var parts = Directory.GetFiles(Path.Combine(folder, "runs"), "*.parquet").Order(StringComparer.Ordinal).ToList();
        var schema = await RunSchema.ReadAsync(parts[0], CancellationToken.None);
        static async Task ReadAsync(GroupCollector collector, IEnumerable<string> files)
        {
            foreach (var part in files)
            {
                await collector.ReadAsync(part, CancellationToken.None);
            }
        }

        var whole = new GroupCollector(schema);
        await ReadAsync(whole, parts);
        var refinementRuns = whole.Groups.Sum(g => g.Points.Count(p => p.Refinement));
        Assert.IsTrue(refinementRuns > 90, $"the edges were refined ({refinementRuns} refinement runs)");

        // As a sweep's reports read the table: its last parts (the refinement's) first.
        var reducing = new GroupCollector(schema);
        reducing.ReduceAsComplete(grid.Count, oneDataset: !twoDatasets);
        await ReadAsync(reducing, Enumerable.Reverse(parts));
        Assert.IsFalse(reducing.NeedsRereading, "each group's refinement runs were in hand before its grid runs completed it");
        Assert.IsTrue(reducing.Groups.All(g => g.Summary is not null), "every group was reduced as it completed");
        var (expected, actual) = (whole.Analyze(), reducing.Analyze());
        Assert.AreEqual(MarkdownReport.Render("s", expected), MarkdownReport.Render("s", actual));
        CollectionAssert.AreEqual(expected.Transfer.Select(t => t.Statement).ToList(), actual.Transfer.Select(t => t.Statement).ToList());

        // In grid order, as the sweep writes them: the groups reduce with the grid and keep their brackets, and the
        // refinement runs after them ask for the runs to be read again.
        var session = new GroupCollector(schema);
        session.ReduceAsComplete(grid.Count, oneDataset: !twoDatasets, brackets: true);
        var gridParts = parts.Count(p => !IsRefinement(p));
        await ReadAsync(session, parts.Take(gridParts));
        Assert.IsTrue(session.Groups.All(g => g.Summary is not null) && session.Groups.Count(g => g.HasPoints) == GroupCollector.KeptForFigures);
        foreach (var group in whole.Groups)
        {
            var bracket = session.BracketOf(group.GroupId);
            Assert.AreEqual(GridBracket.Of(group.Points), bracket, $"group {group.GroupId}");
            var gridRates = group.Points.Where(p => !p.Refinement).Select(p => p.LearningRate).ToList();
            Assert.AreEqual((gridRates.Min(), gridRates.Max()), (bracket!.Value.Lowest, bracket.Value.Highest));
            Assert.IsTrue(bracket.Value.Stable is null || bracket.Value.Unstable is null || bracket.Value.Stable < bracket.Value.Unstable);
        }

        Assert.IsTrue(whole.Groups.Any(g => session.BracketOf(g.GroupId) is { Stable: not null, Unstable: not null }), "some grid brackets an edge");
        Assert.IsFalse(session.NeedsRereading);
        await ReadAsync(session, parts.Skip(gridParts));
        Assert.IsTrue(session.NeedsRereading, "a refinement run came to a group already reduced");

        bool IsRefinement(string part) => whole.Groups.Any(g => g.Points.Any(p => p.Refinement && whole.SourceOf(p) == part));
    }

    [TestMethod]
    public async Task Groups_hold_each_setting_value_once_and_tell_numbers_apart_by_their_bits()
    {
        var plan = Some.Config(Yaml(twoDatasets: false));
        var folder = await Some.SweepAsync(plan, batchSize: 100);
        var parts = Directory.GetFiles(Path.Combine(folder, "runs"), "*.parquet").Order(StringComparer.Ordinal).ToList();
        var collector = new GroupCollector(await RunSchema.ReadAsync(parts[0], CancellationToken.None));
        foreach (var part in parts)
        {
            await collector.ReadAsync(part, CancellationToken.None);
        }

        // Every part read makes its own strings and boxes its own numbers; the groups share one of each value.
        var settings = collector.Groups.Select(g => g.Setting).ToList();
        foreach (var column in settings[0].Schema.Columns.Select(c => c.Name))
        {
            var values = settings.Select(s => s[column]).Where(v => v is not null).ToList();
            var distinct = values.Distinct().Count();
            Assert.AreEqual(distinct, values.Distinct(ReferenceEqualityComparer.Instance).Count(), $"{column}: one object per value");
        }

        Assert.AreEqual(30, settings.Select(s => s["w0"]).Distinct().Count(), "the starts stay apart");

        var shared = new SharedValues();
        Assert.AreSame(shared.Of(1.5), shared.Of(1.5));
        Assert.AreNotSame(shared.Of(0.0), shared.Of(-0.0), "0 and -0 are different values of an axis");
        Assert.AreEqual(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits((double)shared.Of(-0.0)!));
        Assert.AreNotSame(shared.Of(1), shared.Of(1L), "an int and a long are different columns' values");
        Assert.AreSame(shared.Of(new string('a', 3)), shared.Of("aaa"));
        Assert.IsNull(shared.Of(null));
    }

    [TestMethod]
    public async Task A_run_coming_to_a_group_already_reduced_asks_for_the_runs_to_be_read_again()
    {
        var plan = Some.Config(Yaml(twoDatasets: false));
        var folder = await Some.SweepAsync(plan, batchSize: 100);
        var parts = Directory.GetFiles(Path.Combine(folder, "runs"), "*.parquet").Order(StringComparer.Ordinal).ToList();
        var schema = await RunSchema.ReadAsync(parts[0], CancellationToken.None);
        var collector = new GroupCollector(schema);
        collector.ReduceAsComplete(new SweepGrid(plan).Count, oneDataset: true);

        // The first parts twice: the second time, as an earlier config's part in the table would, to groups reduced.
        foreach (var part in parts.Take(3).Concat(parts.Take(2)))
        {
            await collector.ReadAsync(part, CancellationToken.None);
            Assert.IsTrue(collector.NeedsRereading || collector.Groups.All(g => g.Points.Count <= 80), "no group holds a run twice");
        }

        Assert.IsTrue(collector.NeedsRereading);
    }

    [TestMethod]
    public void Index_ranges_hold_exactly_the_numbers_added_in_the_fewest_ranges()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var (ranges, held) = (new IndexRanges(), new SortedSet<long>());
            var count = random.Next(1, 300);
            for (var i = 0; i < count; i++)
            {
                // Runs of consecutive numbers (a part's) from random starts, some overlapping.
                var start = random.Next(0, 400);
                for (var j = start; j < start + random.Next(1, 6); j++)
                {
                    ranges.Add(j);
                    held.Add(j);
                }
            }

            for (long i = -1; i <= 410; i++)
            {
                Assert.AreEqual(held.Contains(i), ranges.Contains(i), $"trial {trial}: {i}");
            }

            var runs = held.Count(i => !held.Contains(i - 1));
            Assert.AreEqual(runs, ranges.Count, $"trial {trial}: one range per run of consecutive numbers");
        }
    }
}
