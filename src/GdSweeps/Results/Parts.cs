using System.Globalization;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary>
/// The stored runs of a folder: the table's parts (<c>runs/part-NNNNNN.parquet</c> with
/// <c>curves/part-NNNNNN.parquet</c>,
/// one pair per batch of the grid) and runs kept for reuse, each verified against its writer's record.
/// </summary>
internal sealed class Parts
{
    // Where each run is, built only when a lookup needs it: a fresh sweep of a million runs never looks one up, and the
    // index would be its largest object (tens of megabytes, twice that while it grows). Parts added since are indexed
    // at the next lookup, in the order added, so a later part's row wins as before.
    private readonly Dictionary<RunId, (Part Part, int Row)> runs = [];
    private readonly List<Part> unindexed = [];

    // Parts are added by the workers that write them while the planner looks runs up.
    private readonly Lock gate = new();

    private readonly Action<string> warn;

    // The parts written with other columns whose runs were asked for, said once each.
    private readonly HashSet<string> misfitsSaid = new(StringComparer.Ordinal);

    private Parts(List<Part> all, Action<string> warn) => (All, this.warn) = (all, warn);

    /// <summary>Every verified part: the table's, by batch, and those kept for reuse.</summary>
    public List<Part> All { get; }

    public static string RunsPart(int batch) => $"{ResultFolder.RunsFolder}/part-{batch.ToString("D6", CultureInfo.InvariantCulture)}.parquet";

    public static string CurvesPart(int batch) => $"{ResultFolder.CurvesFolder}/part-{batch.ToString("D6", CultureInfo.InvariantCulture)}.parquet";

    /// <summary>
    /// A pair of the table's parts in the folder <paramref name="directory"/>, with the ids and statuses its runs file
    /// holds (read, not checked: its caller has checked it against its record).
    /// </summary>
    public static async Task<Part> ReadAsync(string directory, StoredFile runs, StoredFile curves, int batch, CancellationToken ct)
    {
        var stored = await RunsFile.ReadIdsAsync(Path.Combine(directory, runs.File), ct);
        return new Part(runs, curves, batch, [.. stored.Select(s => s.Id)], [.. stored.Select(s => s.Status)]);
    }

    /// <summary>The table's part of batch <paramref name="batch"/>, when one is stored.</summary>
    public Part? Batch(int batch)
    {
        lock (gate)
        {
            return All.FirstOrDefault(p => p.Batch == batch);
        }
    }

    /// <summary>Where a run is stored and how it ended; failed runs count as not stored.</summary>
    public bool TryFind(RunId id, out Part part, out int row)
    {
        lock (gate)
        {
            if (Lookup(id) is { } at && at.Part.Statuses[at.Row] != RunStatus.Failed)
            {
                (part, row) = at;
                return true;
            }
        }

        (part, row) = (null!, -1);
        return false;
    }

    /// <summary>
    /// How the run stored last under <paramref name="id"/> ended (failed included); false when none is stored.
    /// </summary>
    /// <remarks>A refinement round asks this of its own runs.</remarks>
    public bool TryGetStatus(RunId id, out RunStatus status)
    {
        lock (gate)
        {
            var at = Lookup(id);
            status = at is { } found ? found.Part.Statuses[found.Row] : default;
            return at is not null;
        }
    }

    /// <summary>
    /// Where the run is (the part added last that holds it), indexing the parts added since the last lookup; under the
    /// gate.
    /// </summary>
    private (Part Part, int Row)? Lookup(RunId id)
    {
        foreach (var added in unindexed)
        {
            for (var i = 0; i < added.Ids.Length; i++)
            {
                if (added.Misfit is null || !runs.ContainsKey(added.Ids[i]))
                {
                    runs[added.Ids[i]] = (added, i);
                }
            }
        }

        unindexed.Clear();
        if (!runs.TryGetValue(id, out var at))
        {
            return null;
        }

        if (at.Part.Misfit is { } misfit)
        {
            if (misfitsSaid.Add(at.Part.Runs.File))
            {
                warn($"{misfit}: its runs count as not stored and are computed again");
            }

            return null;
        }

        return at;
    }

    /// <summary>
    /// Reads what the folder holds: every file the journals record is checked (size and SHA-256); a damaged, truncated
    /// or missing part, or a file no journal records, is moved to <c>damaged/</c> (never deleted) and named in
    /// <paramref name="warn"/>, and its runs count as not stored. The runs of a pair written with other columns than
    /// <paramref name="schema"/>'s count as not stored too (said when the sweep asks for one of them).
    /// </summary>
    public static async Task<Parts> ScanAsync(ResultFolder folder, RunSchema schema, Action<string> warn, CancellationToken ct)
    {
        var recorded = Journal.Read(folder.Hidden);
        var found = new List<Part>();
        foreach (var (runsFile, curvesFile, batch) in Pairs(folder, recorded, warn))
        {
            ct.ThrowIfCancellationRequested();
            var bad = new[] { runsFile, curvesFile }.Select(f => folder.Verify(f, out var problem) ? null : $"{f.File} ({problem})").OfType<string>().ToList();
            if (bad.Count == 0)
            {
                try
                {
                    var stored = await RunsFile.ReadIdsAsync(folder.PathOf(runsFile.File), ct);
                    var misfit = await MisfitAsync(schema, folder, runsFile, curvesFile, ct);
                    found.Add(new Part(runsFile, curvesFile, batch, [.. stored.Select(s => s.Id)], [.. stored.Select(s => s.Status)], misfit));
                    continue;
                }
                catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or ArgumentException)
                {
                    bad.Add(e is InvalidDataException ? e.Message : $"{runsFile.File} (unreadable: {e.Message})");
                }
            }

            foreach (var file in new[] { runsFile, curvesFile }.Where(f => File.Exists(folder.PathOf(f.File))))
            {
                var aside = folder.MoveAside(file.File);
                warn($"{file.File} failed its check ({string.Join("; ", bad)}): moved to {aside}; its runs will be computed again");
            }
        }

        // A curves file whose runs file is not stored whole belongs to a batch a kill cut short: its runs were never done.
        // Not while shards may write: another shard's batch is such a pair between its two files (the merge clears them).
        var paired = found.Select(p => p.Curves.File).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in folder.Shared ? [] : Journal.Read(folder.Hidden).Keys.Where(f => IsCurves(f) && !paired.Contains(f) && File.Exists(folder.PathOf(f))).ToList())
        {
            folder.Delete(orphan);
        }

        var parts = new Parts(found, warn);
        parts.unindexed.AddRange(found.OrderBy(p => p.Batch is null ? 0 : 1));
        return parts;
    }

    /// <summary>
    /// Why a pair does not hold this sweep's columns; null when it does. One that does not (written by a version that
    /// stored other columns under the same run ids, or put in place by hand) is kept as it is, but its runs count as
    /// not stored: computed again when the config asks for them, never copied with a column missing or mistyped.
    /// </summary>
    private static async Task<string?> MisfitAsync(RunSchema schema, ResultFolder folder, StoredFile runs, StoredFile curves, CancellationToken ct)
    {
        try
        {
            await schema.Runs.CheckFileAsync(folder.PathOf(runs.File), ct);
            await schema.Curves.CheckFileAsync(folder.PathOf(curves.File), ct);
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Whether parts added keep their runs' ids and statuses in memory (<see cref="Part.LetGoOfRuns"/>). A sweep that
    /// looks no stored run up (fresh, without refinement) lets them go, so its memory does not grow with its runs;
    /// a lookup then fails loudly rather than missing them.
    /// </summary>
    public bool KeepsRuns { get; set; } = true;

    /// <summary>Records a part just written or moved.</summary>
    public void Add(Part part)
    {
        part = KeepsRuns ? part : part.LetGoOfRuns();
        lock (gate)
        {
            All.RemoveAll(p => p.Runs.File == part.Runs.File);
            All.Add(part);
            if (KeepsRuns)
            {
                unindexed.Add(part); // one whose ids were let go holds runs no lookup asks for (a fresh sweep's grid)
            }
        }
    }

    public void Remove(Part part)
    {
        lock (gate)
        {
            All.Remove(part);
        }
    }

    /// <summary>
    /// The runs and curves files that belong together: a table part in <c>runs/</c> and <c>curves/</c> by batch, a
    /// reuse pair in the hidden area by name. A Parquet file no journal records is moved aside.
    /// </summary>
    private static IEnumerable<(StoredFile Runs, StoredFile Curves, int? Batch)> Pairs(
        ResultFolder folder, Dictionary<string, StoredFile> recorded, Action<string> warn)
    {
        var folders = new[] { ResultFolder.RunsFolder, ResultFolder.CurvesFolder, ResultFolder.ReuseFolder };
        foreach (var sub in folders.Where(f => Directory.Exists(folder.PathOf(f))))
        {
            foreach (var path in Directory.GetFiles(folder.PathOf(sub)).Order(StringComparer.Ordinal))
            {
                var relative = $"{sub.Replace('\\', '/')}/{Path.GetFileName(path)}";
                // A file is recorded before it is renamed into place: one the journals read earlier did not name may be
                // another shard's, stored since; read them again before calling it nobody's.
                if (!recorded.ContainsKey(relative) && !Journal.Read(folder.Hidden).ContainsKey(relative))
                {
                    var aside = folder.MoveAside(relative);
                    warn($"{relative} was not written by a GdSweeps sweep (no journal records it): moved to {aside}");
                }
            }
        }

        foreach (var (file, runsFile) in recorded.Where(r => File.Exists(folder.PathOf(r.Key)) || IsTablePart(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            int? batch = null;
            string curves;
            if (file.StartsWith(ResultFolder.RunsFolder + "/part-", StringComparison.Ordinal) && file.EndsWith(".parquet", StringComparison.Ordinal))
            {
                batch = int.TryParse(file[(ResultFolder.RunsFolder.Length + 6)..^8], NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : null;
                if (batch is null)
                {
                    continue;
                }

                curves = CurvesPart(batch.Value);
            }
            else if (file.StartsWith(ResultFolder.ReuseFolder.Replace('\\', '/') + "/runs-", StringComparison.Ordinal))
            {
                curves = file.Replace("/runs-", "/curves-", StringComparison.Ordinal);
            }
            else
            {
                continue;
            }

            if (!File.Exists(folder.PathOf(file)))
            {
                if (batch is not null && File.Exists(folder.PathOf(curves)))
                {
                    var aside = folder.MoveAside(curves);
                    warn($"{file} is missing although recorded: its curves moved to {aside}; its runs will be computed again");
                }

                continue;
            }

            if (!recorded.TryGetValue(curves, out var curvesFile))
            {
                var aside = folder.MoveAside(file);
                warn($"{file} has no recorded curves ({curves}): moved to {aside}; its runs will be computed again");
                continue;
            }

            yield return (runsFile, curvesFile, batch);
        }
    }

    private static bool IsCurves(string file) =>
        file.StartsWith(ResultFolder.CurvesFolder + "/", StringComparison.Ordinal) || file.Contains("/curves-", StringComparison.Ordinal);

    private static bool IsTablePart(string file) => file.StartsWith(ResultFolder.RunsFolder + "/", StringComparison.Ordinal);
}

/// <summary>
/// One stored pair of files: a batch's (or a reuse) runs and curves, what runs it holds, and how they ended.
/// </summary>
/// <param name="Misfit">Why it does not hold the sweep's columns (see <see cref="Parts.ScanAsync"/>): its runs count
/// as not stored; null when it does.</param>
internal sealed record Part(StoredFile Runs, StoredFile Curves, int? Batch, RunId[] Ids, RunStatus[] Statuses, string? Misfit = null)
{
    /// <summary>The runs' ids in the order stored.</summary>
    /// <exception cref="InvalidOperationException">They were let go (<see cref="LetGoOfRuns"/>).</exception>
    public RunId[] Ids { get => field ?? throw LetGo(); init; } = Ids;

    /// <summary>How each run ended, in the order stored.</summary>
    /// <exception cref="InvalidOperationException">They were let go (<see cref="LetGoOfRuns"/>).</exception>
    public RunStatus[] Statuses { get => field ?? throw LetGo(); init; } = Statuses;

    /// <summary>How many runs the part holds (kept when their ids are let go).</summary>
    public int Count { get; init; } = Ids.Length;

    /// <summary>Holds exactly <paramref name="ids"/>, in that order, none failed: the batch is done.</summary>
    public bool Holds(IReadOnlyList<RunId> ids) =>
        Misfit is null && Ids.Length == ids.Count && Ids.AsSpan().SequenceEqual([.. ids]) && !Statuses.Contains(RunStatus.Failed);

    /// <summary>
    /// The same part without its runs' ids and statuses in memory, for those who only need its files and its count
    /// (nine bytes a run: ten million runs' would be 90 MB).
    /// </summary>
    public Part LetGoOfRuns() => this with { Ids = null!, Statuses = null! };

    /// <summary>
    /// A checked pair of files whose runs are read, not looked up (a finished sweep's report): its ids are not read, and
    /// its <see cref="Count"/> is not known (0).
    /// </summary>
    public static Part Files(StoredFile runs, StoredFile curves, int? batch) => new Part(runs, curves, batch, [], []).LetGoOfRuns();

    private InvalidOperationException LetGo() => new($"{Runs.File}: its runs' ids were let go (a fresh sweep looks none up); read them from the file");
}
