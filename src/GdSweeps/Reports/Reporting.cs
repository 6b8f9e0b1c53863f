using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Running;

namespace GdSweeps.Reports;

/// <summary>What the reports were made of, and where they are.</summary>
/// <param name="AnalysisTime">Reading the runs not already in hand and reducing them to groups, summaries and
/// transfer.</param>
/// <param name="ReportsTime">Writing the summaries and both reports, the curves around the edges read for them.</param>
internal sealed record ReportFiles(string Markdown, string Html, SweepAnalysis Analysis, IReadOnlyList<StoredFile> Files, TimeSpan AnalysisTime = default, TimeSpan ReportsTime = default);

/// <summary>
/// Builds everything downstream of the stored runs: the summary and transfer tables and the reports, from the table's
/// parts alone.
/// </summary>
internal static class Reporting
{
    /// <summary>
    /// Reads the runs of <paramref name="table"/> (the table's parts, in order) and writes the summaries and both
    /// reports.
    /// </summary>
    /// <remarks>Rows are read one row group at a time and kept only as <see cref="RunPoint"/>s, so memory stays small
    /// for a million runs.</remarks>
    /// <param name="collector">The runs already gathered (those a sweep wrote this session, as it wrote them), or
    /// null.</param>
    /// <param name="gathered">The parts whose runs <paramref name="collector"/> holds already; the others are
    /// read.</param>
    /// <param name="progress">Told of the analysis (each part read, then the reduction) and of the reports (each
    /// file).</param>
    /// <param name="threads">The threads the reports may render on (a sweep's <c>--threads</c>): the tables on one,
    /// the figures on another.</param>
    public static async Task<ReportFiles> WriteAllAsync(
        ResultFolder folder, IReadOnlyList<Part> table, string sweepName, CancellationToken ct, GroupCollector? collector = null, IReadOnlySet<string>? gathered = null,
        Action<Progress>? progress = null, (long Runs, bool OneDataset)? reduceAsComplete = null, int threads = 1)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var step = 0;
        void Reports() => progress?.Invoke(new Progress("reports", step++, 5, "steps"));
        var rendered = await RenderAsync(folder.Directory, table, sweepName, ct, collector, gathered, progress, Reports, reduceAsComplete, threads);
        var files = new List<StoredFile>();
        files.Add(await folder.WriteAsync(SummaryFiles.SummaryFileName, s => SummaryFiles.SummaryFor(rendered.Schema).WriteAsync(s, rendered.Analysis.Summaries, ct), ct));
        Reports();
        files.Add(await folder.WriteAsync(SummaryFiles.TransferFileName, s => SummaryFiles.TransferFor(rendered.Schema).WriteAsync(s, rendered.Analysis.Transfer, ct), ct));
        Reports();
        files.Add(await folder.WriteTextAsync(MarkdownReport.FileName, rendered.Markdown, ct));
        files.Add(await folder.WriteTextAsync(HtmlReport.FileName, rendered.Html, ct));
        Reports();
        return new ReportFiles(folder.PathOf(MarkdownReport.FileName), folder.PathOf(HtmlReport.FileName), rendered.Analysis, files, rendered.AnalysisTime, clock.Elapsed - rendered.AnalysisTime);
    }

    /// <summary>Both reports of a table, as text, and the analysis they show.</summary>
    /// <param name="Collector">The runs read, in their groups.</param>
    /// <param name="Reread">Every run was read again, the collector given could not be used (<see cref="GroupCollector.NeedsRereading"/>).</param>
    internal sealed record Rendered(RunSchema Schema, SweepAnalysis Analysis, string Markdown, string Html, TimeSpan AnalysisTime, GroupCollector Collector, bool Reread);

    /// <summary>
    /// Reads the runs of <paramref name="table"/>, parts of the folder <paramref name="directory"/>, and renders both
    /// reports; writes nothing (a report on a running sweep renders from the parts committed so far).
    /// </summary>
    /// <param name="reduceAsComplete">The grid's runs and whether it has one dataset: the groups are then reduced as they
    /// complete (<see cref="GroupCollector.ReduceAsComplete"/>), in memory that does not grow with the runs.</param>
    public static async Task<Rendered> RenderAsync(
        string directory, IReadOnlyList<Part> table, string sweepName, CancellationToken ct, GroupCollector? collector = null, IReadOnlySet<string>? gathered = null,
        Action<Progress>? progress = null, Action? reported = null, (long Runs, bool OneDataset)? reduceAsComplete = null, int threads = 1) =>
        await RenderAsync(await AnalyseAsync(directory, table, ct, collector, gathered, progress, reduceAsComplete), sweepName, ct, reported, threads);

    /// <summary>
    /// What the reports show, made from the runs: the analysis, and what the figures need of the runs (copied for a
    /// live report, which reads the curves and renders after letting the sweep's collector go on).
    /// </summary>
    /// <param name="Points">The runs of the groups the figures draw, by group.</param>
    /// <param name="Curves">The curves files holding the runs around the edges the figures draw.</param>
    internal sealed record Analysed(RunSchema Schema, SweepAnalysis Analysis, TimeSpan AnalysisTime, GroupCollector Collector, bool Reread,
        IReadOnlyDictionary<RunId, IReadOnlyList<RunPoint>> Points, IReadOnlyList<string> Curves);

    /// <summary>
    /// Reads the runs of <paramref name="table"/> not in <paramref name="collector"/> yet and analyses them: the part
    /// of <see cref="RenderAsync(string, IReadOnlyList{Part}, string, CancellationToken, GroupCollector?, IReadOnlySet{string}?, Action{Progress}?, Action?, ValueTuple{long, bool}?, int)"/>
    /// that uses the collector. With <paramref name="copyPoints"/> the figures' runs are copied, for a render while the
    /// collector goes on (a live report's); without, they are the collector's own lists.
    /// </summary>
    public static async Task<Analysed> AnalyseAsync(
        string directory, IReadOnlyList<Part> table, CancellationToken ct, GroupCollector? collector = null, IReadOnlySet<string>? gathered = null,
        Action<Progress>? progress = null, (long Runs, bool OneDataset)? reduceAsComplete = null, bool copyPoints = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string PathOf(string file) => Path.Combine(directory, file);

        // The stored parts say what they hold (their columns, and how they name groups), unless a sweep hands over its collector.
        var schema = collector?.Schema ?? (table.Count > 0 ? await RunSchema.ReadAsync(PathOf(table[0].Runs.File), ct) : RunSchema.NoRuns);
        var (step, steps) = (0, 1);
        void Analysis() => progress?.Invoke(new Progress("analysis", step++, steps, "steps"));
        // The table's last parts first: a group's refinement runs (in the parts after the grid's) are then in hand
        // before its grid runs complete it, and it can be reduced as it completes (GroupCollector.ReduceAsComplete).
        async Task<GroupCollector> GatherAsync(GroupCollector into, IReadOnlySet<string>? have)
        {
            var unread = table.Where(p => !(have?.Contains(p.Runs.File) ?? false)).Reverse().ToList();

            (step, steps) = (0, unread.Count + 1);
            Analysis();
            foreach (var part in unread)
            {
                await into.ReadAsync(PathOf(part.Runs.File), ct);
                Analysis();
            }

            return into;
        }

        var given = collector is not null && (gathered?.Count ?? 0) > 0;
        if (collector is null)
        {
            collector = new GroupCollector(schema);
            if (reduceAsComplete is { } grid)
            {
                collector.ReduceAsComplete(grid.Runs, grid.OneDataset);
            }
        }

        collector = await GatherAsync(collector, gathered);
        var reread = collector.NeedsRereading;
        if (reread && given)
        {
            // Runs handed over as they were written (a sweep's refinement runs after their groups' grid runs): every
            // run read again, the table's last parts first, reduced early again.
            collector = await GatherAsync(collector.Again(), null);
        }

        if (collector.NeedsRereading)
        {
            // Groups reduced as they completed that the analysis needs whole (an earlier config's part): every run read
            // again, nothing reduced early.
            collector = await GatherAsync(new GroupCollector(schema), null);
        }

        var analysis = collector.Analyze();
        Analysis();
        var sources = EdgeRuns(analysis).SelectMany(e => e.Runs).Select(collector.SourceOf).ToHashSet(StringComparer.Ordinal);
        var holding = table.Where(p => sources.Contains(PathOf(p.Runs.File))).Select(p => PathOf(p.Curves.File)).ToList();
        return new Analysed(schema, analysis, clock.Elapsed, collector, reread, HtmlReport.Drawn(analysis, copyPoints), holding);
    }

    /// <summary>Reads the curves around the edges and renders both reports of <paramref name="analysed"/>.</summary>
    public static async Task<Rendered> RenderAsync(Analysed analysed, string sweepName, CancellationToken ct, Action? reported = null, int threads = 1)
    {
        var (schema, analysis, analysisTime, collector, reread, points, holding) = analysed;
        reported?.Invoke();

        // Both reports' tables, and the figures with the edge runs' curves they read: beside each other when the sweep
        // has the threads (the reports are a tenth of a second of a million-run sweep, its last on one core).
        (string Markdown, string Tables) Text() => (MarkdownReport.Render(sweepName, analysis), HtmlReport.Tables(sweepName, analysis));
        var text = threads > 1 ? Task.Run(Text, ct) : Task.FromResult(Text());
        reported?.Invoke();

        string figures;
        try
        {
            figures = await FiguresAsync(analysis, points, holding, schema.Command, ct);
        }
        catch
        {
            await ((Task)text).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // not left running behind a failure
            throw;
        }

        var (markdown, tables) = await text;
        reported?.Invoke();
        return new Rendered(schema, analysis, markdown, tables + figures, analysisTime, collector, reread);
    }

    /// <summary>The figures, with the curves around the edges read from <paramref name="holding"/>.</summary>
    private static async Task<string> FiguresAsync(SweepAnalysis analysis, IReadOnlyDictionary<RunId, IReadOnlyList<RunPoint>> points, IReadOnlyList<string> holding, bool command, CancellationToken ct)
    {
        var edges = EdgeRuns(analysis);
        var wanted = edges.SelectMany(e => e.Runs).Select(r => r.Index).ToHashSet();
        var curves = await CurvesFile.ReadForRunsAsync(holding, wanted, ct);
        var panels = edges.Select(e => new EdgePanel(e.Group, [.. e.Runs.Select(r => (r, (IReadOnlyList<(int Step, double Loss)>)curves.GetValueOrDefault(r.Index, [])))])).ToList();
        var sharpness = command
            ? await CurvesFile.ReadSharpnessAsync(holding, wanted, ct)
            : [];
        var sharpnessPanels = edges.Where(e => e.Runs.Any(r => sharpness.ContainsKey(r.Index)))
            .Select(e => new SharpnessPanel(e.Group, [.. e.Runs.Select(r => (r, (IReadOnlyList<(int Step, double Sharpness)>)sharpness.GetValueOrDefault(r.Index, [])))]))
            .ToList();
        return HtmlReport.Figures(analysis, points, panels, sharpnessPanels);
    }

    /// <summary>
    /// At most this many loss-curve panels, so a huge sweep's page stays readable; the caption says how many were left
    /// out.
    /// </summary>
    public const int MaxPanels = GroupCollector.EdgePanels;

    /// <summary>
    /// Every group with a measured edge (clipped, adaptive and momentum groups too) in the config's order, each with
    /// the two rates just below it and the two just above.
    /// </summary>
    private static List<(GroupSummary Group, IReadOnlyList<RunPoint> Runs)> EdgeRuns(SweepAnalysis analysis) =>
        [.. analysis.Summaries.Select((g, i) => (g, analysis.EdgeRuns[i])).Where(e => HasEdge(e.g)).Take(MaxPanels)];

    /// <summary>The group has an edge to draw the runs around (<see cref="GroupSummary.HasEdge"/>).</summary>
    public static bool HasEdge(GroupSummary g) => g.HasEdge;
}
