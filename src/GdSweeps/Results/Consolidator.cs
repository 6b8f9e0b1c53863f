using System.Globalization;
using Parquet;

namespace GdSweeps.Results;

/// <summary>
/// Builds <c>runs.parquet</c> and <c>curves.parquet</c> from the stored parts: exactly the runs of the current grid,
/// each once, in grid order, with their current grid index. Memory stays bounded by the parts one output chunk needs.
/// </summary>
public static class Consolidator
{
    /// <summary>Rows per row group of the consolidated files: fixed, so the bytes do not depend on how the parts were cut.</summary>
    public const int ChunkRows = 2048;

    /// <summary>What consolidation found: the grid indices no part holds (nothing is written when there are any), and the rows when all were in memory.</summary>
    public sealed record Result(long Runs, IReadOnlyList<long> Missing, IReadOnlyList<RunRecord>? Rows = null, IReadOnlyList<CurveRow>? Curves = null);

    /// <param name="gridIds">The current grid's run ids, in grid order.</param>
    /// <param name="cache">Parts the caller holds in memory (<see cref="ResultStore.Cached"/>), used instead of reading them.</param>
    public static async Task<Result> ConsolidateAsync(
        string directory, IEnumerable<string> gridIds, CancellationToken ct,
        Func<string, (RunRecord[] Runs, CurveRow[] Curves)?>? cache = null)
    {
        var index = new Dictionary<ulong, int>();
        foreach (var id in gridIds)
        {
            index.TryAdd(StoredRuns.Key(id), index.Count);
        }

        var parts = ResultStore.RunParts(directory);
        var location = new (int Part, int Row)[index.Count];
        var failed = new bool[index.Count];
        Array.Fill(location, (-1, -1));
        for (var p = 0; p < parts.Count; p++)
        {
            var ids = await RunsFile.ReadIdsAsync(parts[p], ct);
            for (var r = 0; r < ids.Count; r++)
            {
                // Each run once; a failed run gives way to a later successful rerun of the same id.
                if (index.TryGetValue(StoredRuns.Key(ids[r].RunId), out var i) && (location[i].Part < 0 || (failed[i] && ids[r].Status != "failed")))
                {
                    location[i] = (p, r);
                    failed[i] = ids[r].Status == "failed";
                }
            }
        }

        var missing = Enumerable.Range(0, location.Length).Where(i => location[i].Part < 0).Select(i => (long)i).ToList();
        if (missing.Count > 0)
        {
            return new Result(index.Count, missing);
        }

        var whole = await WholePartAsync(directory, parts, location, cache, ct);
        if (whole is not null)
        {
            return whole;
        }

        var keepRows = location.Length <= ResultStore.SessionCacheRows;
        var allRuns = keepRows ? new List<RunRecord>(location.Length) : null;
        var allCurves = keepRows ? new List<CurveRow>() : null;
        await using var output = await Output.CreateAsync(directory, ct);
        var loaded = new Dictionary<int, Part>();
        for (var start = 0; start < location.Length; start += ChunkRows)
        {
            var end = Math.Min(start + ChunkRows, location.Length);
            var needed = new HashSet<int>();
            for (var i = start; i < end; i++)
            {
                needed.Add(location[i].Part);
            }

            foreach (var stale in loaded.Keys.Where(k => !needed.Contains(k)).ToList())
            {
                loaded.Remove(stale);
            }

            foreach (var p in needed.Where(p => !loaded.ContainsKey(p)))
            {
                loaded[p] = cache?.Invoke(parts[p]) is { } held ? Part.From([.. held.Runs], [.. held.Curves]) : await Part.LoadAsync(parts[p], ct);
            }

            var runs = new List<RunRecord>(end - start);
            var curves = new List<CurveRow>();
            for (var i = start; i < end; i++)
            {
                var part = loaded[location[i].Part];
                var row = part.Runs[location[i].Row];
                row.RunIndex = i;
                runs.Add(row);
                var (first, count) = part.CurveSlices[location[i].Row];
                curves.AddRange(part.Curves.GetRange(first, count));
            }

            await output.WriteAsync(runs, curves, ct);
            allRuns?.AddRange(runs);
            allCurves?.AddRange(curves);

        }

        await output.CommitAsync();
        return new Result(index.Count, [], allRuns, allCurves);
    }

    /// <summary>
    /// When one part holds exactly the grid, in order, with its grid indices, and fits one row group (a small sweep
    /// computed in one go), the consolidated files are byte for byte that part's files: copy them.
    /// </summary>
    private static async Task<Result?> WholePartAsync(
        string directory, IReadOnlyList<string> parts, (int Part, int Row)[] location,
        Func<string, (RunRecord[] Runs, CurveRow[] Curves)?>? cache, CancellationToken ct)
    {
        if (location.Length == 0 || location.Length > ChunkRows || location.Any(l => l.Part != location[0].Part)
            || Enumerable.Range(0, location.Length).Any(i => location[i].Row != i))
        {
            return null;
        }

        var part = parts[location[0].Part];
        var held = cache?.Invoke(part);
        var runs = held?.Runs ?? [.. await RunsFile.ReadAsync(part, ct)];
        if (runs.Length != location.Length || runs.Where((r, i) => r.RunIndex != i).Any())
        {
            return null;
        }

        await CopyAsync(ResultStore.CurvesPartOf(part), Path.Combine(directory, CurvesFile.FileName), ct);
        await CopyAsync(part, Path.Combine(directory, RunsFile.FileName), ct);
        return new Result(location.Length, [], runs, held?.Curves);
    }

    private static Task CopyAsync(string from, string to, CancellationToken ct) =>
        AtomicFile.WriteAsync(to, async s =>
        {
            await using var source = File.OpenRead(from);
            await source.CopyToAsync(s, ct);
        }, ct);

    /// <summary>One stored part in memory: its runs, its curve rows, and where each run's curve rows are.</summary>
    private sealed record Part(List<RunRecord> Runs, List<CurveRow> Curves, (int First, int Count)[] CurveSlices)
    {
        public static async Task<Part> LoadAsync(string runsPart, CancellationToken ct) =>
            From(await RunsFile.ReadAsync(runsPart, ct), await CurvesFile.ReadAsync(ResultStore.CurvesPartOf(runsPart), ct));

        public static Part From(List<RunRecord> runs, List<CurveRow> curves)
        {
            var slices = new (int, int)[runs.Count];
            var c = 0;
            for (var r = 0; r < runs.Count; r++)
            {
                var first = c;
                while (c < curves.Count && curves[c].RunId == runs[r].RunId)
                {
                    c++;
                }

                slices[r] = (first, c - first);
            }

            return new Part(runs, curves, slices);
        }
    }

    /// <summary>The two consolidated files, written side by side and renamed into place together.</summary>
    private sealed class Output : IAsyncDisposable
    {
        private readonly string directory;
        private readonly FileStream runsStream;
        private readonly FileStream curvesStream;
        private ParquetWriter? runs;
        private ParquetWriter? curves;
        private bool committed;

        private Output(string directory)
        {
            this.directory = directory;
            runsStream = new FileStream(Temp(RunsFile.FileName), FileMode.Create, FileAccess.Write, FileShare.None);
            curvesStream = new FileStream(Temp(CurvesFile.FileName), FileMode.Create, FileAccess.Write, FileShare.None);
        }

        public static async Task<Output> CreateAsync(string directory, CancellationToken ct)
        {
            var output = new Output(directory);
            output.runs = await ParquetWriter.CreateAsync(RunsFile.Schema, output.runsStream, ParquetSettings.Options, cancellationToken: ct);
            output.curves = await ParquetWriter.CreateAsync(CurvesFile.Schema, output.curvesStream, ParquetSettings.Options, cancellationToken: ct);
            return output;
        }

        public async Task WriteAsync(List<RunRecord> runRows, List<CurveRow> curveRows, CancellationToken ct)
        {
            await RunsFile.WriteRowGroupAsync(runs!, runRows, ct);
            await CurvesFile.WriteRowGroupAsync(curves!, curveRows, ct);
        }

        public async Task CommitAsync()
        {
            await CloseAsync();
            File.Move(Temp(CurvesFile.FileName), Path.Combine(directory, CurvesFile.FileName), overwrite: true);
            File.Move(Temp(RunsFile.FileName), Path.Combine(directory, RunsFile.FileName), overwrite: true);
            committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!committed)
            {
                try
                {
                    await CloseAsync();
                }
                finally
                {
                    AtomicFile.TryDelete(Temp(RunsFile.FileName));
                    AtomicFile.TryDelete(Temp(CurvesFile.FileName));
                }
            }
        }

        private async Task CloseAsync()
        {
            foreach (var writer in new[] { runs, curves })
            {
                if (writer is not null)
                {
                    await writer.DisposeAsync();
                }
            }

            runs = curves = null;
            foreach (var stream in new[] { runsStream, curvesStream })
            {
                if (stream.CanWrite)
                {
                    stream.Flush(flushToDisk: true);
                }

                await stream.DisposeAsync();
            }
        }

        private string Temp(string name) => Path.Combine(directory, name + AtomicFile.TempSuffix);
    }
}
