using System.Globalization;
using System.Net;
using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Reports;
using GdSweeps.Results;
using Serilog;

namespace GdSweeps.Pipeline;

/// <summary>Where an unfinished sweep stands, as the top of its partial report says it.</summary>
/// <param name="State">What it is doing: <c>In progress</c>, <c>Interrupted</c>, <c>Stopped</c>.</param>
/// <param name="Total">The grid's runs (every shard's); null when the folder does not say (an older version's).</param>
/// <param name="Elapsed">How long it has run.</param>
/// <param name="Rate">Runs it computes a second, for the estimate; null when not yet known.</param>
/// <param name="Note">What else to say: the shards finished, what to do next.</param>
internal sealed record Standing(string State, long? Total, TimeSpan Elapsed, double? Rate, string? Note = null, DateTimeOffset? At = null)
{
    /// <summary>The banner's text, for <paramref name="stored"/> runs stored so far.</summary>
    public string Line(long stored)
    {
        var ci = CultureInfo.InvariantCulture;
        var at = (At ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd HH:mm:ss", ci) + " UTC";
        var count = Total is { } total
            ? string.Create(ci, $"{stored:N0} of {total:N0} runs stored ({Math.Min(100.0, 100.0 * stored / Math.Max(1, total)):F0}%)")
            : string.Create(ci, $"{stored:N0} runs stored");
        if (Total is { } grid && stored > grid)
        {
            count = string.Create(ci, $"the grid's {grid:N0} runs stored and {stored - grid:N0} of refinement");
        }

        var left = State == "In progress" && Total is { } all && all > stored && Rate is > 0 and var rate
            ? $", about {Clock(TimeSpan.FromSeconds((all - stored) / rate))} to go"
            : "";
        return $"{State} ({at}): {count}, {Clock(Elapsed)} so far{left}. {Note ?? "The tables show the runs stored so far; the finished sweep's report replaces this one."}";
    }

    /// <summary>A duration as a person reads it: 42 s, 3 min 5 s, 2 h 10 min.</summary>
    public static string Clock(TimeSpan span) => span.TotalSeconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalSeconds):F0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min"),
    };
}

/// <summary>
/// The report of an unfinished sweep (running, interrupted, or shards not merged): rendered from the parts committed
/// so far (each with a complete journal record matching the file in place), marked at the top with where the sweep
/// stands. Reads the folder only and takes no lock, so it never disturbs the writer.
/// </summary>
internal static class PartialReport
{
    /// <summary>
    /// The groups of a sweep's grid (what its parts may hold: a run's identity names its group), and its runs and
    /// whether it has one dataset, for reducing groups as they complete.
    /// </summary>
    /// <remarks>By group, not run: a set of every run id would be the largest object of a ten-million-run sweep's
    /// live report.</remarks>
    internal sealed record Members(SweepGrid Grid)
    {
        /// <summary>
        /// The grid's groups by their stored text, made when first asked: only a part the sweep did not hand over
        /// (another writer's, or one committed before it was handed over) is selected by them. Finding them walks
        /// the grid (a second for ten million runs).
        /// </summary>
        public HashSet<string> Groups => field ??= GroupsOf(Grid);

        /// <summary>The grid's runs and whether it has one dataset, for reducing groups as they complete.</summary>
        public (long Runs, bool OneDataset) Reduce => ReduceOf(Grid);

        /// <summary>
        /// Every run id of the grid, made when first asked (only to count the runs kept for a resume: an earlier
        /// config's runs of the same groups are not this sweep's).
        /// </summary>
        public HashSet<RunId> Runs => field ??= RunsOf(Grid);

        private static HashSet<RunId> RunsOf(SweepGrid grid)
        {
            var identity = new RunIdentity(grid.Plan.Config);
            return [.. grid.Points().Select(p => identity.Of(p).Run)];
        }

        private static HashSet<string> GroupsOf(SweepGrid grid)
        {
            // A group's id is made once per group (its runs are consecutive), no run's built.
            var groups = new HashSet<string>(StringComparer.Ordinal);
            var identity = new RunIdentity(grid.Plan.Config);
            RunId? last = null;
            foreach (var point in grid.Points())
            {
                if (identity.GroupOf(point) is var group && group != last)
                {
                    groups.Add(RunColumns.GroupText(group));
                    last = group;
                }
            }

            return groups;
        }

        /// <summary>
        /// The grid's runs and whether it has one dataset. Refinement runs come after the grid's, but a report reads the
        /// table's last parts first, so groups reduce as they complete in a refined sweep too.
        /// </summary>
        public static (long Runs, bool OneDataset) ReduceOf(SweepGrid grid) => (grid.Count, grid.Plan.Config.Get(Configs.SweepAxes.Datasets).Count == 1);
    }

    /// <summary>What an unfinished sweep's folder holds of its grid so far.</summary>
    /// <param name="Table">The table's parts holding the grid's runs (or, for refinement, its groups').</param>
    /// <param name="Kept">The grid's runs stored only in parts kept for the resume (finished runs of a part an
    /// interruption cut short): stored, not yet in the table.</param>
    /// <param name="Damaged">Parts that failed their check, each with why; their runs are left out.</param>
    internal sealed record Selection(List<Part> Table, long Kept, List<string> Damaged)
    {
        public long Stored => Table.Sum(p => (long)p.Count) + Kept;
    }

    /// <summary>
    /// The parts of <paramref name="directory"/> that hold runs of the grid <paramref name="members"/> names. A part
    /// of an earlier config that the sweep has not yet replaced or set aside holds none of its runs, nor of its groups
    /// (refinement): it is left out.
    /// </summary>
    public static async Task<Selection> SelectAsync(string directory, Members members, CancellationToken ct, SoFar? soFar = null)
    {
        var stored = Committed.SoFar(directory, soFar?.Verified);
        var table = new List<Part>();
        var inTable = new HashSet<RunId>();
        Table<RunResult>? first = null;
        foreach (var part in stored.Table)
        {
            // A part examined for an earlier report, its record unchanged, is what it was.
            if (soFar is not null && stored.Kept.Count == 0 && soFar.Examined.TryGetValue(part.Runs.File, out var seen) && seen.Record == part.Runs)
            {
                if (seen.Part is not null)
                {
                    table.Add(seen.Part);
                }

                continue;
            }

            if (soFar?.Shared is not null)
            {
                // A fresh sweep of one writer: every part in the folder is one it writes, and one committed but not
                // handed over yet shows in the next report, with its runs (no walk of the grid for its groups).
                continue;
            }

            var path = Path.Combine(directory, part.Runs.File);
            var columns = await Tables.OfFileAsync<RunResult>(path, ct);
            first ??= columns;
            Part? selected = null;
            if (columns.Columns.Select(c => (c.Name, c.Type)).SequenceEqual(first.Columns.Select(c => (c.Name, c.Type))) // else another config's
                && (await GroupsAsync(path, ct)).Any(members.Groups.Contains))
            {
                // Its runs' ids only while they are needed: the runs kept for the resume are counted against them.
                var read = await Parts.ReadAsync(directory, part.Runs, part.Curves, part.Batch, ct);
                if (stored.Kept.Count > 0)
                {
                    inTable.UnionWith(read.Ids);
                }

                selected = read.LetGoOfRuns();
                table.Add(selected);
            }

            soFar?.Examined[part.Runs.File] = (part.Runs, selected);
        }

        // Runs kept for the resume count when they are the grid's and the table does not hold them yet.
        var kept = new HashSet<RunId>();
        foreach (var part in stored.Kept)
        {
            foreach (var (id, _) in await RunsFile.ReadIdsAsync(Path.Combine(directory, part.Runs.File), ct))
            {
                if (members.Runs.Contains(id) && !inTable.Contains(id))
                {
                    kept.Add(id);
                }
            }
        }

        return new Selection(table, kept.Count, stored.Damaged);
    }

    /// <summary>
    /// Both reports of what <paramref name="directory"/> holds so far of the grid <paramref name="members"/> names,
    /// and what they cover.
    /// </summary>
    /// <param name="soFar">What earlier reports of the same running sweep read, kept for the next (only the parts
    /// committed since are read); null for a report made once.</param>
    public static async Task<(string Markdown, string Html, Selection Selection)> RenderAsync(
        string directory, string sweep, Standing standing, Members members, CancellationToken ct, SoFar? soFar = null) =>
        await RenderAsync(await PrepareAsync(directory, sweep, standing, members, ct, soFar), ct);

    /// <summary>What a report of an unfinished sweep shows: its parts, its banner's line, and their analysis (null with no run in the tables yet).</summary>
    internal sealed record Prepared(string Sweep, Selection Selection, string Line, Reporting.Analysed? Analysed);

    /// <summary>
    /// The part of <see cref="RenderAsync(string, string, Standing, Members, CancellationToken, SoFar?)"/> that reads
    /// <paramref name="soFar"/> and the sweep's collector (a live report holds its lock meanwhile); the curves read and
    /// the text rendered after it use neither.
    /// </summary>
    public static async Task<Prepared> PrepareAsync(
        string directory, string sweep, Standing standing, Members members, CancellationToken ct, SoFar? soFar = null)
    {
        var selection = await SelectAsync(directory, members, ct, soFar);
        var table = selection.Table;
        var line = standing.Line(selection.Stored);
        if (selection.Kept > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" Of the runs stored, {selection.Kept:N0} finished as the sweep was stopped are kept for the resume and not yet in the tables.");
        }

        if (selection.Damaged.Count > 0)
        {
            line += $" Left out, damaged: {string.Join("; ", selection.Damaged)} (the sweep's next run moves it aside and computes its runs again).";
        }

        if (table.Count == 0)
        {
            return new Prepared(sweep, selection, line, null);
        }

        // The runs read for an earlier report stay in its collector, as long as every part they came from is still
        // in the table as it was (a part replaced since, an earlier config's, means reading everything again).
        var inPlace = table.ToDictionary(p => p.Runs.File, p => p.Runs, StringComparer.Ordinal);
        var whole = soFar is null || !soFar.Gathered.Any(g => !inPlace.TryGetValue(g.Key, out var now) || now != g.Value);
        GroupCollector? collector;
        IReadOnlySet<string>? gathered;
        if (soFar?.Shared is { } shared)
        {
            // The sweep's own collector holds every part it handed over; one committed but not handed over yet shows in
            // the next report (reading it here would put its runs in twice).
            (collector, gathered) = whole ? (shared, inPlace.Keys.ToHashSet(StringComparer.Ordinal)) : (null, null);
        }
        else
        {
            if (!whole)
            {
                soFar!.Reset();
            }

            (collector, gathered) = (soFar?.Collector, soFar?.Gathered.Keys.ToHashSet(StringComparer.Ordinal));
        }

        var analysed = await Reporting.AnalyseAsync(directory, table, ct, collector, gathered, reduceAsComplete: members.Reduce, copyPoints: true);
        if (soFar is not null && soFar.Shared is null)
        {
            soFar.Reset();
            if (!analysed.Reread)
            {
                soFar.Collector = analysed.Collector;
                foreach (var part in table)
                {
                    soFar.Gathered[part.Runs.File] = part.Runs;
                }
            }
        }

        return new Prepared(sweep, selection, line, analysed);
    }

    /// <summary>Both reports of what <paramref name="prepared"/> found, the curves around the edges read for them.</summary>
    public static async Task<(string Markdown, string Html, Selection Selection)> RenderAsync(Prepared prepared, CancellationToken ct)
    {
        var (sweep, selection, line, analysed) = prepared;
        if (analysed is null)
        {
            var title = $"# Sweep `{sweep}`: which learning rates keep gradient descent stable";
            return ($"{title}\n\n> **{line}**\n\nNo run is in the tables yet.\n", $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(sweep)}</title></head><body>{Banner(line)}<p>No run is in the tables yet.</p></body></html>\n", selection);
        }

        var rendered = await Reporting.RenderAsync(analysed, sweep, ct);
        return (Insert(rendered.Markdown, "\n", $"\n> **{line}**\n"), Insert(rendered.Html, "</h1>\n", Banner(line) + "\n"), selection);
    }

    private static async Task<HashSet<string>> GroupsAsync(string path, CancellationToken ct)
    {
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in await new Table<RunResult>([RunColumns.GroupId]).ReadAsync(path, [RunColumns.GroupId.Name], ct))
        {
            groups.UnionWith(chunk.Get(RunColumns.GroupId).OfType<string>());
        }

        return groups;
    }

    /// <summary>The banner of an HTML report, above everything but its title.</summary>
    private static string Banner(string line) =>
        $"<p class=\"progress\" style=\"background:#fff4d6;border:1px solid #e3c46b;padding:8px 12px;border-radius:4px\"><b>{WebUtility.HtmlEncode(line)}</b></p>";

    /// <summary><paramref name="text"/> with <paramref name="insert"/> after the first <paramref name="after"/>.</summary>
    private static string Insert(string text, string after, string insert)
    {
        var at = text.IndexOf(after, StringComparison.Ordinal);
        return at < 0 ? insert + text : text[..(at + after.Length)] + insert + text[(at + after.Length)..];
    }
}

/// <summary>
/// What a running sweep's live reports keep from one to the next: each part examined (and whether it is the grid's),
/// and the runs read so far in their collector, whose groups are reduced as they complete. Each report then reads
/// only the parts committed since, in memory that does not grow with the runs.
/// </summary>
internal sealed class SoFar
{
    /// <summary>By runs file: its record when examined, and the part when it holds the grid's runs.</summary>
    public Dictionary<string, (StoredFile Record, Part? Part)> Examined { get; } = new(StringComparer.Ordinal);

    /// <summary>The runs files (and their records) whose runs <see cref="Collector"/> holds.</summary>
    public Dictionary<string, StoredFile> Gathered { get; } = new(StringComparer.Ordinal);

    public GroupCollector? Collector { get; set; }

    /// <summary>
    /// The sweep's own collector, when the reports share it (a fresh sweep of one writer: every part of its table is
    /// one it hands over); then <see cref="Collector"/> is unused.
    /// </summary>
    public GroupCollector? Shared { get; set; }

    /// <summary>The files found to match their records (or written by this sweep), not hashed again while unchanged.</summary>
    public Dictionary<string, Committed.Verified> Verified { get; } = new(StringComparer.Ordinal);

    public void Reset()
    {
        Gathered.Clear();
        Collector = null;
    }
}

/// <summary>
/// A running sweep's report.md and report.html, rewritten from what is stored at a steady pace and when asked (each
/// refinement round), each replaced whole; and its manifest's counts with them. The wait between two reports is at
/// least four times the last one's making, so the reports take at most a fifth of the time.
/// </summary>
internal sealed class LiveReport(ResultFolder folder, SweepGrid grid, TimeSpan every, Func<Standing> standing, Func<Task>? counted = null) : IDisposable
{
    private PartialReport.Members? members;
    private readonly SoFar soFar = new();
    private readonly RunSchema schema = RunSchema.For(grid.Plan.Config);
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private Task? loop;
    private bool written, failed;

    /// <summary>Starts rewriting the reports every <c>every</c>; nothing when it is zero.</summary>
    public void Start()
    {
        if (every > TimeSpan.Zero)
        {
            loop = Task.Run(LoopAsync);
        }
    }

    /// <summary>
    /// The rows of a part this sweep has just committed, as written: taken into the reports' runs so far, so a live
    /// report reads from the folder only the parts other writers (shards) commit.
    /// </summary>
    public void Written(Chunk<RunResult> chunk, Part part)
    {
        if (every <= TimeSpan.Zero)
        {
            return;
        }

        lock (gate)
        {
            var source = folder.PathOf(part.Runs.File);
            if (soFar.Shared is { } shared)
            {
                shared.Add(chunk, source, part.Ids, part.Statuses); // the sweep's own runs, added under this lock
            }
            else
            {
                if (soFar.Gathered.ContainsKey(part.Runs.File))
                {
                    return; // a report read it from the folder while its writer waited to hand it over
                }

                if (soFar.Collector is null)
                {
                    soFar.Collector = new GroupCollector(schema);
                    var reduce = PartialReport.Members.ReduceOf(grid);
                    soFar.Collector.ReduceAsComplete(reduce.Runs, reduce.OneDataset);
                }

                soFar.Collector.Add(chunk, source, part.Ids, part.Statuses);
            }

            soFar.Gathered[part.Runs.File] = part.Runs;
            soFar.Examined[part.Runs.File] = (part.Runs, part.LetGoOfRuns());
            foreach (var file in new[] { part.Runs, part.Curves })
            {
                if (Committed.Verified.Of(folder.Directory, file) is { } written)
                {
                    soFar.Verified[file.File] = written;
                }
            }
        }
    }

    /// <summary>
    /// Lets the reports analyse <paramref name="sweep"/>, the sweep's own collector, rather than a copy of its runs:
    /// only for a fresh sweep of one writer (every part of its table is one it hands over through
    /// <see cref="Written"/>, which then adds them to it under this report's lock). False when live reports are off
    /// (the sweep adds its runs itself).
    /// </summary>
    public bool Share(GroupCollector sweep)
    {
        if (every <= TimeSpan.Zero)
        {
            return false;
        }

        lock (gate)
        {
            soFar.Shared = sweep;
            return true;
        }
    }

    /// <summary>Writes the reports now (a refinement round starts), when live reports are on.</summary>
    public Task NowAsync(CancellationToken ct) => every > TimeSpan.Zero ? WriteAsync(standing(), ct) : Task.CompletedTask;

    /// <summary>
    /// Stops rewriting at a pace (the grid's runs are all stored: what is left is refinement, whose rounds ask with
    /// <see cref="NowAsync"/>, and the finished reports); with <paramref name="last"/>, writes the reports once more
    /// saying so (an interruption), when any was written.
    /// </summary>
    public async Task StopAsync(Standing? last = null)
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop;
            loop = null;
        }

        if (last is not null && written)
        {
            await WriteAsync(last, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        stop.Dispose();
        writing.Dispose();
    }

    private async Task LoopAsync()
    {
        var wait = every;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, stop.Token);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await WriteAsync(standing(), stop.Token);
                wait = TimeSpan.FromTicks(Math.Max(every.Ticks, clock.Elapsed.Ticks * 4));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task WriteAsync(Standing now, CancellationToken ct)
    {
        await writing.WaitAsync(CancellationToken.None);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var allocated = GC.GetTotalAllocatedBytes();
            members ??= new PartialReport.Members(grid);
            PartialReport.Prepared prepared;
            lock (gate)
            {
                // The writers wait to hand over their rows while the runs so far are analysed (the folder read only
                // for parts other writers committed); not while the curves around the edges are read and the reports
                // rendered: a ten-million-run sweep's writers waited 2 s there, their parts' rows piling up (170 MB).
                prepared = PartialReport.PrepareAsync(folder.Directory, grid.Plan.Config.Name, now, members, ct, soFar).GetAwaiter().GetResult();
            }

            var (markdown, html, selection) = await PartialReport.RenderAsync(prepared, ct);

            await folder.WriteTextAsync(MarkdownReport.FileName, markdown, CancellationToken.None);
            await folder.WriteTextAsync(HtmlReport.FileName, html, CancellationToken.None);
            if (counted is not null)
            {
                await counted();
            }

            written = true;
            Log.Debug("Live report: {Runs} stored; made in {Time:F2} s, {Allocated} MB allocated meanwhile (the sweep's runs too)", Plural.Of(selection.Stored, "run"),
                clock.Elapsed.TotalSeconds, (GC.GetTotalAllocatedBytes() - allocated) >> 20);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // A part being replaced under the reader, a full disk: this report is skipped; the next tries again.
            Log.Debug(e, "Live report skipped");
        }
#pragma warning disable CA1031 // a report of the runs so far never fails the sweep that computes them
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            if (!failed)
            {
                Log.Warning("The live report could not be written ({Error}); the sweep goes on, and its finished report is written as usual", e.Message);
                Log.Debug(e, "Live report failed");
                failed = true;
            }
        }
        finally
        {
            writing.Release();
        }
    }
}
