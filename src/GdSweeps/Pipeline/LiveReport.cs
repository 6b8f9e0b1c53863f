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
    /// The groups of a sweep's grid (what its parts may hold: a run's identity names its group), and, when the grid has
    /// no refinement, its runs and whether it has one dataset, for reducing groups as they complete.
    /// </summary>
    /// <remarks>By group, not run: a set of every run id would be the largest object of a ten-million-run sweep's
    /// live report.</remarks>
    internal sealed record Members(HashSet<string> Groups, (long Runs, bool OneDataset)? Reduce)
    {
        public static Members Of(SweepGrid grid)
        {
            var groups = new HashSet<string>(StringComparer.Ordinal);
            RunId? last = null;
            foreach (var run in grid.Runs())
            {
                if (run.GroupId != last)
                {
                    groups.Add(RunColumns.GroupText(run.GroupId));
                    last = run.GroupId;
                }
            }

            var config = grid.Plan.Config;
            return new Members(groups, Session.Refines(config) ? null : (grid.Count, config.Get(Configs.SweepAxes.Datasets).Count == 1));
        }
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
    public static async Task<Selection> SelectAsync(string directory, Members members, CancellationToken ct)
    {
        var stored = Committed.SoFar(directory);
        var table = new List<Part>();
        var inTable = new HashSet<RunId>();
        Table<RunResult>? first = null;
        foreach (var part in stored.Table)
        {
            var path = Path.Combine(directory, part.Runs.File);
            var columns = await Tables.OfFileAsync<RunResult>(path, ct);
            first ??= columns;
            if (!columns.Columns.Select(c => (c.Name, c.Type)).SequenceEqual(first.Columns.Select(c => (c.Name, c.Type))))
            {
                continue; // written with other columns: another config's
            }

            if ((await GroupsAsync(path, ct)).Any(members.Groups.Contains))
            {
                // Its runs' ids only while they are needed: the runs kept for the resume are counted against them.
                var read = await Parts.ReadAsync(directory, part.Runs, part.Curves, part.Batch, ct);
                if (stored.Kept.Count > 0)
                {
                    inTable.UnionWith(read.Ids);
                }

                table.Add(read.LetGoOfRuns());
            }
        }

        // Runs kept for the resume count when their group is the grid's and the table does not hold them yet.
        var kept = new HashSet<RunId>();
        foreach (var part in stored.Kept)
        {
            var path = Path.Combine(directory, part.Runs.File);
            foreach (var chunk in await new Table<RunResult>([RunColumns.RunId, RunColumns.GroupId]).ReadAsync(path, [RunColumns.RunId.Name, RunColumns.GroupId.Name], ct))
            {
                var ids = RunsFile.Ids(chunk, path);
                var groups = chunk.Get(RunColumns.GroupId);
                for (var i = 0; i < chunk.Count; i++)
                {
                    if (groups[i] is { } group && members.Groups.Contains(group) && !inTable.Contains(ids[i]))
                    {
                        kept.Add(ids[i]);
                    }
                }
            }
        }

        return new Selection(table, kept.Count, stored.Damaged);
    }

    /// <summary>
    /// Both reports of what <paramref name="directory"/> holds so far of the grid <paramref name="members"/> names,
    /// and what they cover.
    /// </summary>
    public static async Task<(string Markdown, string Html, Selection Selection)> RenderAsync(string directory, string sweep, Standing standing, Members members, CancellationToken ct)
    {
        var selection = await SelectAsync(directory, members, ct);
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
            var title = $"# Sweep `{sweep}`: which learning rates keep gradient descent stable";
            return ($"{title}\n\n> **{line}**\n\nNo run is in the tables yet.\n", $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(sweep)}</title></head><body>{Banner(line)}<p>No run is in the tables yet.</p></body></html>\n", selection);
        }

        var rendered = await Reporting.RenderAsync(directory, table, sweep, ct, reduceAsComplete: members.Reduce);
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
/// A running sweep's report.md and report.html, rewritten from what is stored at a steady pace and when asked (each
/// refinement round), each replaced whole; and its manifest's counts with them. The wait between two reports is at
/// least four times the last one's making, so the reports take at most a fifth of the time.
/// </summary>
internal sealed class LiveReport(ResultFolder folder, SweepGrid grid, TimeSpan every, Func<Standing> standing, Func<Task>? counted = null) : IDisposable
{
    private PartialReport.Members? members;
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
            members ??= PartialReport.Members.Of(grid);
            var (markdown, html, selection) = await PartialReport.RenderAsync(folder.Directory, grid.Plan.Config.Name, now, members, ct);
            await folder.WriteTextAsync(MarkdownReport.FileName, markdown, CancellationToken.None);
            await folder.WriteTextAsync(HtmlReport.FileName, html, CancellationToken.None);
            if (counted is not null)
            {
                await counted();
            }

            written = true;
            Log.Debug("Live report: {Runs} stored", Plural.Of(selection.Stored, "run"));
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
