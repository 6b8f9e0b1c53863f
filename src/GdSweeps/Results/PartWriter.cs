using GdSweeps.Grid;
using GdSweeps.Running;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary>
/// The stored rows a batch copies instead of computing: for each such run (by its place in the batch), its row and its
/// curve rows.
/// </summary>
internal sealed class ReusedRows
{
    internal Dictionary<int, (Chunk<RunResult> Runs, int Row, RunStatus Status, List<(Chunk<CurveResult>, int)> Curve)> Rows { get; } = [];
}

/// <summary>
/// Stores batches as the table's parts: <c>curves/part-N</c>, then <c>runs/part-N</c> (a runs part on disk means its
/// runs are done), each whole and recorded. Runs computed now are written from their outcomes; runs stored before are
/// copied with their curves, matched by run id.
/// </summary>
internal sealed class PartWriter(ResultFolder folder, Parts parts, RunSchema schema, Action<Chunk<RunResult>, Part>? written = null) : IBatchSink
{
    /// <summary>
    /// Parts written and waiting for their syncs at most: the workers compute on while one part is committed and the
    /// next waits, and wait themselves only when the disk falls further behind (a waiting part's rows stay alive until
    /// its commit hands them to the analysis).
    /// </summary>
    private const int Waiting = 1;

    /// <summary>How long a rename waits at most for its folder's sync (the end of the sweep's runs syncs them all).</summary>
    private static readonly TimeSpan FolderSyncEvery = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private readonly Queue<Task> commits = new(); // the last ones handed over, oldest first

    /// <summary>
    /// Parts committed and not yet handed to the analysis (under <see cref="gate"/>), in the order they were committed.
    /// </summary>
    private readonly Queue<(Chunk<RunResult> Table, Part Part)> committedRows = new();

    /// <summary>Held by the one thread handing committed parts to the analysis.</summary>
    private readonly Lock analysing = new();

    /// <summary>
    /// Rows of parts committed and analysed, whose arrays take the next parts' rows: a million runs' parts would
    /// otherwise make 840 MB of columns, each part's living through its commit and copied by every collection
    /// meanwhile. No more are kept than were ever in flight at once.
    /// </summary>
    private readonly Stack<Chunk<RunResult>> spare = new();
    private Task committed = Task.CompletedTask;

    /// <summary>Commits handed to the commits' thread and not yet begun, in order (under their own lock, which the thread waits on).</summary>
    private readonly Queue<Action> toCommit = new();
    private bool committing; // the commits' thread runs (under toCommit's lock)
    private long foldersSynced = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// Writes a batch's two files, then hands them to be committed (synced, recorded, renamed) in the order batches
    /// come, off the runner's threads: the part counts as stored once committed, which <see cref="FlushAsync"/>
    /// awaits. A commit that fails fails this call or the next one, and every one after it. Before it returns, the
    /// caller hands the parts committed meanwhile to the analysis (<see cref="AnalyseCommitted"/>).
    /// </summary>
    public async Task WriteAsync(Batch batch, IReadOnlyList<RunOutcome?> outcomes, CancellationToken ct)
    {
        await ThrowIfFailedAsync();
        var (runsFile, curvesFile, statuses, table) = await PreparePairAsync(
            Parts.RunsPart(batch.Number), Parts.CurvesPart(batch.Number), batch, outcomes, batch.Reused as ReusedRows, ct);
        var ids = batch.Runs.Select(r => r.Id).ToArray();
        var number = batch.Number;
        (batch, outcomes) = (null!, null!); // written: a part waiting for its commit keeps only what the commit needs
        // At most Waiting parts wait: a writer that finds them all waiting waits for the oldest and looks again (two
        // writers woken by the same commit would otherwise both add theirs, and the queue grow without bound).
        while (true)
        {
            Task oldest;
            lock (gate)
            {
                while (commits.TryPeek(out var first) && first.IsCompleted)
                {
                    commits.Dequeue();
                }

                if (commits.Count < Waiting)
                {
                    commits.Enqueue(committed = CommitAfter(committed, curvesFile, runsFile, new Part(runsFile.Record, curvesFile.Record, number, ids, statuses), table));
                    break;
                }

                oldest = commits.Peek();
            }

            try
            {
                await oldest;
            }
            catch
            {
                ResultFolder.Discard([curvesFile, runsFile]);
                throw;
            }
        }

        AnalyseCommitted(wait: false);
    }

    /// <summary>
    /// Hands the parts committed so far to the analysis, in the order they were committed, on the caller's thread: a
    /// worker's, so a sweep's computing stays on its <c>--threads</c> and the commits' thread only waits for the disk.
    /// One thread at a time; unless told to <paramref name="wait"/>, a worker that finds another at it goes back to
    /// its runs.
    /// </summary>
    private void AnalyseCommitted(bool wait)
    {
        if (wait)
        {
            analysing.Enter();
        }
        else if (!analysing.TryEnter())
        {
            return;
        }

        try
        {
            while (true)
            {
                (Chunk<RunResult> Table, Part Part) next;
                lock (gate)
                {
                    if (!committedRows.TryDequeue(out next))
                    {
                        return;
                    }
                }

                written?.Invoke(next.Table, next.Part); // the rows as written, with their ids and statuses, so the analysis need not read them back
                lock (gate)
                {
                    spare.Push(next.Table); // the analysis copies what it keeps
                }
            }
        }
        finally
        {
            analysing.Exit();
        }
    }

    /// <summary>
    /// Commits a part's files once <paramref name="previous"/> is committed, on the commits' thread (called under
    /// <see cref="gate"/>).
    /// </summary>
    private Task CommitAfter(Task previous, PendingFile curvesFile, PendingFile runsFile, Part part, Chunk<RunResult> table)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void commit()
        {
            try
            {
                previous.GetAwaiter().GetResult(); // committed before: one thread commits them in turn
                folder.Commit([curvesFile, runsFile], syncFolders: false);
                if (System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref foldersSynced)) > FolderSyncEvery)
                {
                    folder.SyncFolders();
                    Interlocked.Exchange(ref foldersSynced, System.Diagnostics.Stopwatch.GetTimestamp());
                }
            }
            catch (Exception e)
            {
                ResultFolder.Discard([curvesFile, runsFile]);
                done.SetException(e);
                return;
            }

            lock (gate)
            {
                parts.Add(part);
                committedRows.Enqueue((table, part));
            }

            done.SetResult();
        }

        lock (toCommit)
        {
            toCommit.Enqueue(commit);
            if (committing)
            {
                Monitor.Pulse(toCommit);
            }
            else
            {
                new Thread(CommitAll) { IsBackground = true, Name = "gdsweeps commits" }.Start(); // a start that fails fails this write
                committing = true;
            }
        }

        return done.Task;
    }

    /// <summary>
    /// The commits' thread: a thread of its own, not the thread pool's, whose threads the workers keep busy (a commit
    /// queued behind them waited there, and the workers behind it). It ends once no commit came for a second.
    /// </summary>
    private void CommitAll()
    {
        while (true)
        {
            Action commit;
            lock (toCommit)
            {
                while (toCommit.Count == 0)
                {
                    if (!Monitor.Wait(toCommit, TimeSpan.FromSeconds(1)) && toCommit.Count == 0)
                    {
                        committing = false;
                        return;
                    }
                }

                commit = toCommit.Dequeue();
            }

            commit();
        }
    }

    /// <summary>
    /// Waits until every part handed over is committed, its folder synced and its rows analysed; throws the first
    /// commit's failure.
    /// </summary>
    public async Task FlushAsync()
    {
        Task last;
        lock (gate)
        {
            last = committed;
        }

        await last;
        folder.SyncFolders();
        AnalyseCommitted(wait: true);
        lock (gate)
        {
            spare.Clear(); // the runs end here: what comes next (the analysis, the reports) has their memory
        }
    }

    private async Task ThrowIfFailedAsync()
    {
        Task last;
        lock (gate)
        {
            last = committed;
        }

        if (last.IsFaulted)
        {
            await last;
        }
    }

    /// <summary>
    /// The finished runs of an interrupted batch, kept for reuse in the hidden area (they are not a batch's part).
    /// </summary>
    public async Task KeepFinishedAsync(Batch batch, IReadOnlyList<RunOutcome?> outcomes, CancellationToken ct)
    {
        var done = Enumerable.Range(0, outcomes.Count).Where(i => outcomes[i] is not null).ToList();
        var kept = new Batch(batch.Number, [.. done.Select(i => batch.Runs[i])], [.. done.Select(_ => true)]);
        var name = Guid.NewGuid().ToString("N");
        var (runsFile, curvesFile, statuses, _) = await PreparePairAsync(
            $"{Reuse}/runs-{name}.parquet", $"{Reuse}/curves-{name}.parquet", kept, [.. done.Select(i => outcomes[i])], null, ct);
        folder.Commit([curvesFile, runsFile]);
        lock (gate)
        {
            parts.Add(new Part(runsFile.Record, curvesFile.Record, null, [.. kept.Runs.Select(r => r.Id)], statuses));
        }
    }

    /// <summary>
    /// Moves a table part that does not hold its batch's runs (an earlier config's) into the reuse area, so its runs
    /// can still be copied.
    /// </summary>
    public Part Retire(Part part)
    {
        var name = Guid.NewGuid().ToString("N");
        var runs = folder.Move(part.Runs, $"{Reuse}/runs-{name}.parquet");
        var curves = folder.Move(part.Curves, $"{Reuse}/curves-{name}.parquet");
        var retired = part with { Runs = runs, Curves = curves, Batch = null };
        lock (gate)
        {
            parts.Remove(part);
            parts.Add(retired);
        }

        return retired;
    }

    private static string Reuse => ResultFolder.ReuseFolder.Replace('\\', '/');

    /// <summary>Writes a part's two files, to be committed together, curves first.</summary>
    private async Task<(PendingFile Runs, PendingFile Curves, RunStatus[] Statuses, Chunk<RunResult> Table)> PreparePairAsync(
        string runsPath, string curvesPath, Batch batch, IReadOnlyList<RunOutcome?> outcomes, ReusedRows? reused, CancellationToken ct)
    {
        var statuses = new RunStatus[batch.Runs.Length];
        for (var i = 0; i < statuses.Length; i++)
        {
            statuses[i] = outcomes[i]?.Status ?? reused!.Rows[i].Status;
        }

        if (reused is null || reused.Rows.Count == 0)
        {
            Chunk<RunResult>? reuse;
            lock (gate)
            {
                spare.TryPop(out reuse);
            }

            var rows = schema.Runs.ToChunk(batch.Runs.Select((r, i) => new RunResult(r, outcomes[i]!)).ToArray(), reuse);
            var curves = await folder.PrepareAsync(curvesPath, s => schema.WriteCurvesAsync(s, batch.Runs, [.. outcomes.Select(o => o!)], ct), ct);
            try
            {
                return (await folder.PrepareAsync(runsPath, s => schema.Runs.WriteAsync(s, rows, ct), ct), curves, statuses, rows);
            }
            catch
            {
                ResultFolder.Discard([curves]);
                throw;
            }
        }

        // Runs computed now become a chunk of their own; each row of the part then comes from it or from where the run was stored.
        var computed = Enumerable.Range(0, batch.Runs.Length).Where(i => outcomes[i] is not null).ToList();
        var fresh = schema.Runs.ToChunk(computed.Select(i => new RunResult(batch.Runs[i], outcomes[i]!)).ToArray());
        var freshCurves = schema.CurveChunk([.. computed.Select(i => batch.Runs[i])], [.. computed.Select(i => outcomes[i]!)]);
        var freshRow = computed.Select((i, k) => (i, k)).ToDictionary(x => x.i, x => x.k);
        var curveStart = new int[computed.Count + 1];
        for (var k = 0; k < computed.Count; k++)
        {
            curveStart[k + 1] = curveStart[k] + outcomes[computed[k]]!.Curve.Count;
        }

        var runRows = new List<(Chunk<RunResult>, int)>(batch.Runs.Length);
        var curveRows = new List<(Chunk<CurveResult>, int)>();
        var curveKeys = new List<long>();
        for (var i = 0; i < batch.Runs.Length; i++)
        {
            var before = curveRows.Count;
            if (freshRow.TryGetValue(i, out var k))
            {
                runRows.Add((fresh, k));
                curveRows.AddRange(Enumerable.Range(curveStart[k], curveStart[k + 1] - curveStart[k]).Select(r => (freshCurves, r)));
            }
            else
            {
                var (chunk, row, _, curve) = reused.Rows[i];
                runRows.Add((chunk, row));
                curveRows.AddRange(curve);
            }

            curveKeys.AddRange(Enumerable.Repeat(batch.Runs[i].Index, curveRows.Count - before));
        }

        // Where a run sits is this batch's, not the part it was copied from: its index in the grid (the curves' key too), and whether it refines.
        var table = Chunk<RunResult>.Gather(runRows);
        table.Set(RunColumns.RunIndex, batch.Runs.Select(r => r.Index).ToArray());
        table.Set(RunColumns.Refinement, batch.Runs.Select(r => r.IsRefinement).ToArray());
        var curveTable = Chunk<CurveResult>.Gather(curveRows);
        curveTable.Set(CurveColumns.RunIndex, curveKeys.ToArray());
        var curvesFile = await folder.PrepareAsync(curvesPath, s => schema.Curves.WriteAsync(s, curveTable, ct, CurvesFile.RowGroupRows), ct);
        try
        {
            return (await folder.PrepareAsync(runsPath, s => schema.Runs.WriteAsync(s, table, ct), ct), curvesFile, statuses, table);
        }
        catch
        {
            ResultFolder.Discard([curvesFile]);
            throw;
        }
    }
}

/// <summary>Loads the stored rows a batch copies, reading each stored part at most once while it is needed.</summary>
internal sealed class PartLoader(ResultFolder folder, RunSchema schema)
{
    private readonly Dictionary<string, (Chunk<RunResult> Runs, Dictionary<long, List<(Chunk<CurveResult>, int)>> Curves)> loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// The rows of the runs of <paramref name="runs"/> found stored in <paramref name="parts"/>;
    /// <paramref name="compute"/> is set for the others.
    /// </summary>
    public async Task<ReusedRows> LoadAsync(Parts parts, RunSpec[] runs, bool[] compute, CancellationToken ct)
    {
        var reused = new ReusedRows();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < runs.Length; i++)
        {
            compute[i] = !parts.TryFind(runs[i].Id, out var part, out var row);
            if (!compute[i])
            {
                wanted.Add(part.Runs.File);
                var (chunk, curves) = await LoadPartAsync(part, ct);
                // The run's curve rows are those under its index in the part it was stored in: found through its id.
                var storedIndex = chunk.Get(RunColumns.RunIndex)[row];
                reused.Rows[i] = (chunk, row, part.Statuses[row], curves.GetValueOrDefault(storedIndex) ?? []);
            }
        }

        foreach (var stale in loaded.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            loaded.Remove(stale);
        }

        return reused;
    }

    private async Task<(Chunk<RunResult>, Dictionary<long, List<(Chunk<CurveResult>, int)>>)> LoadPartAsync(Part part, CancellationToken ct)
    {
        if (loaded.TryGetValue(part.Runs.File, out var held))
        {
            return held;
        }

        var chunks = await schema.Runs.ReadAsync(folder.PathOf(part.Runs.File), ct: ct);
        var runs = chunks.Count == 1 ? chunks[0] : Chunk<RunResult>.Gather([.. chunks.SelectMany(c => Enumerable.Range(0, c.Count).Select(r => (c, r)))]);
        var curves = new Dictionary<long, List<(Chunk<CurveResult>, int)>>();
        foreach (var chunk in await schema.Curves.ReadAsync(folder.PathOf(part.Curves.File), ct: ct))
        {
            var ids = chunk.Get(CurveColumns.RunIndex);
            for (var r = 0; r < chunk.Count; r++)
            {
                if (!curves.TryGetValue(ids[r], out var list))
                {
                    curves[ids[r]] = list = [];
                }

                list.Add((chunk, r));
            }
        }

        loaded[part.Runs.File] = (runs, curves);
        return (runs, curves);
    }
}
