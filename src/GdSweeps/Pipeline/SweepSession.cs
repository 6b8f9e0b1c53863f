using System.Security.Cryptography;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Commands;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Plan;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Training;
using Serilog;

namespace GdSweeps.Pipeline;

/// <summary>
/// One invocation of a sweep, end to end: lock the folder, check what is stored, run what is missing, refine, report,
/// and keep the manifest true throughout.
/// </summary>
internal static class SweepSession
{
    /// <summary>
    /// The files a finished sweep derives from its runs; stale as soon as the runs change, so removed when a sweep
    /// starts.
    /// </summary>
    private static readonly string[] Derived = [SummaryFiles.SummaryFileName, SummaryFiles.TransferFileName, MarkdownReport.FileName, HtmlReport.FileName];

    /// <summary>What a session did.</summary>
    /// <param name="Complete">Every run of the grid is stored and the summaries and reports are written (always false
    /// for a shard).</param>
    /// <param name="KeptAside">Stored runs the config no longer asks for, kept for reuse (each once).</param>
    public sealed record Outcome(SweepTotals Totals, bool Complete, IReadOnlyDictionary<RunStatus, long> Statuses, ReportFiles? Reports, long KeptAside = 0);

    /// <param name="opened">Called once the folder's locks are held, before anything is written: where the caller may
    /// start writing its log there.</param>
    public static async Task<Outcome> RunAsync(
        SweepPlan plan, string directory, RunOptions options, Action<Progress>? progress, CancellationToken ct, Action<ResultFolder>? opened = null)
    {
        var config = plan.Config;
        if (config.Trainer is { Devices.Count: > 0 } gpus)
        {
            options = options with { Threads = gpus.Workers(options.Threads) }; // one worker a device slot, all busy at once
        }

        var grid = new SweepGrid(plan);
        var shard = options.Shard;
        FolderClaim.Claim(directory, config.Name, config.SourcePath, options.Replace);
        using var folder = ResultFolder.Open(directory, shard?.Name ?? "main", shared: shard is not null);
        opened?.Invoke(folder);
        var manifest = new Manifest
        {
            State = "running",
            Sweep = config.Name,
            ToolVersion = Version,
            ConfigPath = config.SourcePath,
            ConfigPathResolved = Path.GetFullPath(config.SourcePath),
            ConfigHash = Hash(config.Text),
            ConfigText = config.Text,
            Overrides = config.Overrides,
            DataFiles = [.. config.DataFiles.Select(f => new Manifest.DataFile(f.Given, f.Resolved))],
            TrainerInputs = config.Trainer is { } command ? [.. command.Inputs.Select(i => new Manifest.InputFile(i.Given, i.Resolved, i.Sha256))] : null,
            Kernel = config.Kernel == KernelMode.PerSample ? "per-sample" : null,
            Shard = shard?.Name,
            ShardIndex = shard?.Index,
            ShardCount = shard?.Count,
            BatchSize = options.RunsPerPart,
            GridRuns = grid.Count,
            Runs = 0,
            Reused = 0,
            Computed = 0,
            Started = DateTimeOffset.UtcNow,
        };
        await manifest.WriteAsync(folder, shard?.Name, CancellationToken.None);
        if (FolderClaim.Recorded(directory) != config.Name)
        {
            // Beside the manifest: whose the folder is, should the manifest ever be unreadable.
            await folder.WriteAsync(FolderClaim.OwnerFile, s => s.WriteAsync(Encoding.UTF8.GetBytes(config.Name + "\n")).AsTask(), CancellationToken.None);
        }

        if (shard is null)
        {
            foreach (var derived in Derived.Where(d => File.Exists(folder.PathOf(d))))
            {
                folder.Delete(derived);
            }
        }

        var expected = shard is null ? grid.Count : (grid.Count + shard.Count - 1) / shard.Count;
        var tally = new Tally(progress, expected);
        tally.Phase("runs", expected); // 0 of them so far: the phase's clock starts here
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The sweep's own cancellation: Ctrl-C, or its trainer when an input the runs depend on changed.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        string? stopped = null;

        // Should the tool exit at once (a second Ctrl-C), the manifest still says the sweep was interrupted.
        void OnExit(object? sender, EventArgs e) => TryWriteAsync(folder, shard?.Name, manifest with
        {
            State = "interrupted", Ended = DateTimeOffset.UtcNow, Runs = tally.Totals.Runs, Reused = tally.Totals.Reused, Computed = tally.Totals.Computed,
        }).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += OnExit;

        // While it runs, its reports show what is stored so far, and its manifest the counts.
        Standing Now(string state = "In progress", string? note = null) =>
            new(state, grid.Count, clock.Elapsed, tally.Totals.Computed is > 0 and var computed ? computed / clock.Elapsed.TotalSeconds : null, note ?? (shard is null ? null : $"Shard {shard.Index} of {shard.Count} ({shard.Name}) wrote this; the tables show every shard's runs stored so far, and gdsweeps merge writes the finished report."));
        using var live = new LiveReport(folder, grid, options.ReportEvery, () => Now(), () => TryWriteAsync(folder, shard?.Name, manifest with
        {
            Runs = tally.Totals.Runs, Reused = tally.Totals.Reused, Computed = tally.Totals.Computed, Updated = DateTimeOffset.UtcNow,
        }));
        try
        {
            var parts = await Parts.ScanAsync(folder, RunSchema.For(plan.Config), w => Log.Warning("{Warning}", w), ct);
            Log.Debug("Stored parts checked in {Ms} ms", clock.ElapsedMilliseconds);
            using var trainer = await TrainerSetup.CreateAsync(plan, folder, options.Threads, stop);
            using var watch = stop.Token.Register(() => stopped = trainer.Stopped);
            ct = stop.Token;
            var session = new Session(plan, folder, parts, options, tally, trainer, progress, live);
            live.Start();
            await session.RunGridAsync(grid, ct);
            await live.StopAsync(); // every run of the grid is stored: refinement rounds ask for their own reports
            if (Log.IsEnabled(Serilog.Events.LogEventLevel.Debug))
            {
                var gc = GC.GetGCMemoryInfo();
                Log.Debug("Runs computed and stored in {Ms} ms; {Allocated} MB allocated; managed heap {Heap} MB, committed {Committed} MB, {Gen0} gen0 and {Gen2} gen2 collections pausing it {Paused} ms",
                    clock.ElapsedMilliseconds, GC.GetTotalAllocatedBytes() >> 20, GC.GetTotalMemory(forceFullCollection: true) >> 20, gc.TotalCommittedBytes >> 20, GC.CollectionCount(0), GC.CollectionCount(2), (long)GC.GetTotalPauseDuration().TotalMilliseconds);
            }

            manifest = manifest with { Runs = tally.Totals.Runs, Reused = tally.Totals.Reused, Computed = tally.Totals.Computed, GridParts = session.GridParts };
            if (shard is not null)
            {
                await live.StopAsync(Now("Shard done", $"Shard {shard.Index} of {shard.Count} ({shard.Name}) has stored its runs; when every shard has, gdsweeps merge writes the finished report."));
                await (manifest with { State = "complete", Ended = DateTimeOffset.UtcNow, Statuses = Names(tally.Totals.ComputedByStatus) })
                    .WriteAsync(folder, shard.Name, CancellationToken.None);
                return new Outcome(tally.Totals, false, Counts(tally.Totals.ComputedByStatus), null);
            }

            var allocated = GC.GetTotalAllocatedBytes();
            var (reports, files) = await session.FinishAsync(ct);
            Log.Debug("Reports written after {Ms} ms; {Allocated} MB allocated finishing (refinement, analysis, reports)", clock.ElapsedMilliseconds,
                (GC.GetTotalAllocatedBytes() - allocated) >> 20);
            var counts = reports.Analysis.Counts;
            var totals = tally.Totals;
            await (manifest with
            {
                State = "complete", Ended = DateTimeOffset.UtcNow, Runs = totals.Runs, Reused = totals.Reused, Computed = totals.Computed,
                Statuses = counts.ToDictionary(kv => kv.Key.Name(), kv => kv.Value), Files = files,
            }).WriteAsync(folder, null, CancellationToken.None);
            return new Outcome(totals, true, counts, reports, session.KeptAside);
        }
        catch (OperationCanceledException) when (stopped is { } reason)
        {
            await live.StopAsync(Now("Stopped", $"The sweep stopped: {reason}"));
            await TryWriteAsync(folder, shard?.Name, manifest with
            {
                State = "failed", Ended = DateTimeOffset.UtcNow, Error = reason, Runs = tally.Totals.Runs, Reused = tally.Totals.Reused, Computed = tally.Totals.Computed,
            });
            throw new TrainerStoppedException(reason);
        }
        catch (OperationCanceledException)
        {
            await live.StopAsync(Now("Interrupted", "Running the same command again resumes it; the tables show the runs stored so far."));
            await TryWriteAsync(folder, shard?.Name, manifest with
            {
                State = "interrupted", Ended = DateTimeOffset.UtcNow, Runs = tally.Totals.Runs, Reused = tally.Totals.Reused, Computed = tally.Totals.Computed,
            });
            throw;
        }
        catch (Exception e)
        {
            await live.StopAsync();
            await TryWriteAsync(folder, shard?.Name, manifest with { State = "failed", Ended = DateTimeOffset.UtcNow, Error = e.Message });
            throw;
        }
        finally
        {
            await live.StopAsync();
            AppDomain.CurrentDomain.ProcessExit -= OnExit;
        }
    }

    /// <summary>The tool's version and the commit it was built from, e.g. <c>0.3.0+1a2b3c4</c>.</summary>
    public static string Version { get; } =
        typeof(SweepSession).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
        ?? typeof(SweepSession).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Dictionary<RunStatus, long> Counts(IReadOnlyList<long> byStatus) =>
        RunStatuses.All.ToDictionary(s => s, s => byStatus[(int)s]);

    private static Dictionary<string, long> Names(IReadOnlyList<long> byStatus) =>
        RunStatuses.All.ToDictionary(s => s.Name(), s => byStatus[(int)s]);

    private static async Task TryWriteAsync(ResultFolder folder, string? shard, Manifest manifest)
    {
        try
        {
            await manifest.WriteAsync(folder, shard, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or InvalidOperationException)
        {
            // The folder cannot be written (full disk, read-only, or the tool is exiting under it): the error that got
            // us here is the one to report.
        }
    }
}

/// <summary>
/// The work of one writer on one folder: the grid's batches (those of its shard), and for a whole sweep the
/// refinement, the removal of what the sweep no longer holds, and the reports.
/// </summary>
internal sealed class Session
{
    private readonly SweepPlan plan;
    private readonly ResultFolder folder;
    private readonly Parts parts;
    private readonly RunOptions options;
    private readonly Tally tally;
    private readonly PartWriter writer;
    private readonly BatchPlanner planner;
    private readonly GridIndex index;
    private readonly GroupCollector collector;
    private readonly HashSet<string> gathered = new(StringComparer.Ordinal);
    private bool shared;
    private long gridRuns;
    private readonly Action<Progress>? progress;
    private readonly TrainerSetup trainer;
    private readonly LiveReport? live;

    public Session(SweepPlan plan, ResultFolder folder, Parts parts, RunOptions options, Tally tally, TrainerSetup trainer, Action<Progress>? progress = null, LiveReport? live = null)
    {
        this.live = live;
        this.trainer = trainer;
        this.progress = progress;
        this.plan = plan;
        this.folder = folder;
        this.parts = parts;
        this.options = options;
        this.tally = tally;
        var schema = RunSchema.For(plan.Config);
        collector = new GroupCollector(schema);
        writer = new PartWriter(folder, parts, schema, (chunk, part) =>
        {
            if (!shared)
            {
                collector.Add(chunk, folder.PathOf(part.Runs.File), part.Ids, part.Statuses); // named as the reports name the parts they read
            }

            live?.Written(chunk, part); // adds them to the collector when the live report shares it
            gathered.Add(part.Runs.File);
        });
        planner = new BatchPlanner(parts, writer, new PartLoader(folder, schema), tally, plan.Config.Kernel == KernelMode.PerSample, PartCutter.CommandPart(plan.Config.Trainer), options.RunsPerPart,
            b => options.Shard?.Owns(b) ?? true);
        index = new GridIndex();
    }

    /// <summary>How many parts the grid's batches take; refinement parts are numbered after them.</summary>
    public int GridParts { get; private set; }

    public async Task RunGridAsync(SweepGrid grid, CancellationToken ct)
    {
        ReduceAsComplete(grid);
        // Nothing stored: the runs need not be built here, one after another, nor any stored run looked up, so the
        // parts written need not keep their runs' ids (but a command's logs go by them). Refinement's templates are
        // recorded as the workers build the runs.
        var fresh = parts.All.Count == 0;
        var refines = Refines(plan.Config);
        parts.KeepsRuns = !fresh || plan.Config.Trainer is not null;

        // A fresh sweep of one writer without refinement: every part of the table is one this session writes, so its
        // live report can analyse this collector instead of keeping a second (a copy of every group's summary).
        shared = fresh && !refines && options.Shard is null && live is not null && live.Share(collector);
        var batches = fresh
            ? planner.PlanFreshAsync(grid, refines ? index.Record : null, ct)
            : planner.PlanAsync(refines ? index.Record(grid.Runs()) : grid.Runs(), ct);
        await new SweepRunner(options, trainer.Trainer).RunAsync(batches, writer, tally, ct);
        GridParts = planner.Next;
        parts.KeepsRuns = true; // refinement looks its own runs up
    }

    /// <summary>Checks that every batch of the grid is stored (a merge), without computing any.</summary>
    /// <exception cref="MissingRunsException">Some batches are not stored: unfinished shards.</exception>
    public void CheckGrid(SweepGrid grid)
    {
        ReduceAsComplete(grid);
        var missing = planner.Missing(Refines(plan.Config) ? index.Record(grid.Runs()) : grid.Runs());
        GridParts = planner.Next;
        if (missing.Count > 0)
        {
            throw new MissingRunsException([.. missing.Select(m => m.Batch)], GridParts, missing.SelectMany(m => m.Runs).Select(r => (r.Index, r.Id)).Take(5).ToList(),
                missing.Sum(m => m.Runs.Length), grid.Count);
        }
    }

    /// <summary>
    /// Refines the edges, retires what the sweep no longer holds, and writes the summaries and reports from the stored
    /// parts.
    /// </summary>
    /// <summary>Stored runs the config no longer asks for, kept for reuse once the sweep finished.</summary>
    public long KeptAside { get; private set; }

    public async Task<(ReportFiles Reports, IReadOnlyList<StoredFile> Files)> FinishAsync(CancellationToken ct)
    {
        var config = plan.Config;
        if (config.Refine is { } tolerance && Refines(config))
        {
            var brackets = await BracketsAsync(ct);
            var runner = new SweepRunner(options, trainer.Trainer);
            var round = 0;
            var refined = await Refinement.RunAsync(tolerance, gridRuns, index, brackets.BracketOf, async (runs, token) =>
            {
                tally.Phase($"refinement {++round}", runs.Count);
                if (live is not null)
                {
                    await live.NowAsync(token);
                }

                await runner.RunAsync(planner.PlanAsync(runs, token), writer, tally, token);
                return [.. runs.Select(r => parts.TryGetStatus(r.Id, out var s) ? s : RunStatus.Failed)];
            }, ct);
            Log.Debug("Refinement: {Runs} runs in {Parts} parts", refined.Count, planner.Next - GridParts);
        }

        // What the folder held beyond this sweep's parts (an earlier config's longer grid or refinement), and every
        // run kept for reuse: the sweep is whole without them.
        foreach (var stale in parts.All.Where(p => p.Batch >= planner.Next).ToList())
        {
            writer.Retire(stale);
        }

        // Never deleted unasked: kept aside, where a later config that asks for them again copies them back. A kept
        // part whose every run the table (or a part kept before it) holds is a copy: removed, nothing lost.
        var table = Enumerable.Range(0, planner.Next).Select(b => parts.Batch(b) ?? throw new InvalidOperationException($"part {b} is missing after the sweep")).ToList();
        var reusable = parts.All.Where(p => p.Batch is null).OrderByDescending(p => p.Runs.Written).ToList();
        HashSet<RunId> held = reusable.Count == 0 ? [] : table.SelectMany(p => p.Ids).ToHashSet(); // every run's id: only when there is anything to compare
        var asked = held.Count;
        var kept = new List<Part>();
        foreach (var reuse in reusable)
        {
            var copy = reuse.Ids.All(held.Contains);
            held.UnionWith(reuse.Ids);
            if (copy || options.Prune)
            {
                folder.Delete(reuse.Runs.File);
                folder.Delete(reuse.Curves.File);
                parts.Remove(reuse);
            }
            else
            {
                kept.Add(reuse);
            }
        }

        var unasked = held.Count - asked;
        KeptAside = options.Prune ? 0 : unasked;
        if (options.Prune && unasked > 0)
        {
            Log.Information("Removed {Runs} stored runs the config no longer asks for (--prune)", unasked);
        }
        else if (unasked > 0)
        {
            Log.Information("Kept {Runs} stored runs the config no longer asks for in {Folder} (a config that asks for them again copies them back; --prune removes them)",
                unasked, ResultFolder.ReuseFolder);
        }

        if (live is not null)
        {
            await live.StopAsync(); // the finished reports below replace the live ones, never the other way round
        }

        var logs = config.Trainer is null ? [] : KeepLogs([.. table, .. kept]);
        var reports = await Reporting.WriteAllAsync(folder, table, config.Name, ct, collector, gathered, progress, threads: options.Threads);
        return (reports, [.. table.SelectMany(p => new[] { p.Runs, p.Curves }), .. trainer.Data, .. logs, .. reports.Files]);
    }

    /// <summary>
    /// The stored logs of the table's runs; the logs of runs the sweep no longer holds (an earlier config's) are
    /// removed.
    /// </summary>
    private List<StoredFile> KeepLogs(IReadOnlyList<Part> table)
    {
        var held = table.SelectMany(p => p.Ids).Select(id => $"{RunLogs.Folder}/{id}.log").ToHashSet(StringComparer.Ordinal);
        var kept = new List<StoredFile>();
        foreach (var (name, file) in Journal.Read(folder.Hidden).Where(f => f.Key.StartsWith(RunLogs.Folder + "/", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (held.Contains(name))
            {
                kept.Add(file);
            }
            else if (File.Exists(folder.PathOf(name)))
            {
                folder.Delete(name);
            }
        }

        return kept;
    }

    /// <summary>
    /// A group holds all its grid runs once they are stored: the analysis reduces each as it completes, so a sweep's
    /// memory does not grow with its runs. Refinement adds runs to groups after the grid: each group then keeps what its
    /// grid runs say of its edge (<see cref="GridBracket"/>) for the refinement to start from, and the finished
    /// analysis is made again from the stored parts, the refinement's first.
    /// </summary>
    private void ReduceAsComplete(SweepGrid grid)
    {
        var (runs, oneDataset) = PartialReport.Members.ReduceOf(grid);
        gridRuns = runs;
        collector.ReduceAsComplete(runs, oneDataset, brackets: Refines(plan.Config));
    }

    /// <summary>
    /// What each group's grid runs say of its edge: the session's collector, once it holds every grid part (those stored
    /// before this session read into it). Should it need its runs read again, a collector of every grid run is made.
    /// </summary>
    private async Task<GroupCollector> BracketsAsync(CancellationToken ct)
    {
        var grid = Enumerable.Range(0, GridParts).Select(b => parts.Batch(b) ?? throw new InvalidOperationException($"part {b} is missing after the grid")).ToList();
        var rereading = collector.NeedsRereading;
        var into = rereading ? new GroupCollector(collector.Schema) : collector;
        foreach (var part in grid)
        {
            if (!rereading && !gathered.Add(part.Runs.File))
            {
                continue; // written this session: in hand already
            }

            await into.ReadAsync(folder.PathOf(part.Runs.File), ct);
        }

        return into;
    }

    /// <summary>
    /// Refinement bisects the learning rate of each group, so it needs a learning-rate axis that moves alone.
    /// </summary>
    internal static bool Refines(SweepConfig config) =>
        config.Refine is not null && !config.Zips.Any(z => z.Contains(SweepAxes.LearningRates.Name));
}

/// <summary>Some batches of the grid are not stored: a shard has not finished, or a sweep was interrupted.</summary>
internal sealed class MissingRunsException(IReadOnlyList<int> batches, int gridParts, IReadOnlyList<(long Index, RunId Id)> first, long missingRuns, long runs)
    : Exception($"{missingRuns} of {runs} runs are not stored (in {batches.Count} of {gridParts} parts)")
{
    /// <summary>The parts (batches) missing.</summary>
    public IReadOnlyList<int> Batches { get; } = batches;

    /// <summary>The first missing runs, by grid index and id.</summary>
    public IReadOnlyList<(long Index, RunId Id)> First { get; } = first;
}
