using GdSweeps.Grid;
using GdSweeps.Training;
using Parquet;

namespace GdSweeps.Results;

/// <summary>
/// Builds <c>runs.parquet</c> and <c>curves.parquet</c> from the stored parts: exactly the runs asked for, each once, in
/// the order given, with their index in that order. Curves are matched to runs by id. Memory stays bounded by the
/// parts one output chunk needs.
/// </summary>
public static class Consolidator
{
    /// <summary>Rows per row group of the consolidated files: fixed, so the bytes do not depend on how the parts were cut.</summary>
    public const int ChunkRows = 2048;

    /// <summary>What consolidation found: the indices no part holds (nothing is written when there are any).</summary>
    public sealed record Result(long Runs, IReadOnlyList<long> Missing);

    /// <param name="ids">The run ids to consolidate, in order: the grid's, then the refinement's.</param>
    public static async Task<Result> ConsolidateAsync(string directory, IReadOnlyList<RunId> ids, CancellationToken ct)
    {
        var index = new Dictionary<RunId, int>();
        foreach (var id in ids)
        {
            index.TryAdd(id, index.Count);
        }

        var parts = ResultStore.RunParts(directory);
        var location = new (int Part, int Row)[index.Count];
        var failed = new bool[index.Count];
        Array.Fill(location, (-1, -1));
        for (var p = 0; p < parts.Count; p++)
        {
            var stored = await RunsFile.ReadIdsAsync(parts[p], ct);
            for (var r = 0; r < stored.Count; r++)
            {
                // Each run once; a failed run gives way to a later successful rerun of the same id.
                var isFailed = stored[r].Status == RunStatus.Failed;
                if (index.TryGetValue(stored[r].Id, out var i) && (location[i].Part < 0 || (failed[i] && !isFailed)))
                {
                    location[i] = (p, r);
                    failed[i] = isFailed;
                }
            }
        }

        var missing = Enumerable.Range(0, location.Length).Where(i => location[i].Part < 0).Select(i => (long)i).ToList();
        if (missing.Count > 0)
        {
            return new Result(index.Count, missing);
        }

        if (!await CopyWholePartAsync(directory, parts, location, ct))
        {
            await WriteAsync(directory, parts, location, ct);
        }

        return new Result(index.Count, []);
    }

    private static async Task WriteAsync(string directory, IReadOnlyList<string> parts, (int Part, int Row)[] location, CancellationToken ct)
    {
        var runsTemp = Path.Combine(directory, RunsFile.FileName + AtomicFile.TempSuffix);
        var curvesTemp = Path.Combine(directory, CurvesFile.FileName + AtomicFile.TempSuffix);
        try
        {
            await using (var runsStream = new FileStream(runsTemp, FileMode.Create, FileAccess.Write, FileShare.None))
            await using (var curvesStream = new FileStream(curvesTemp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await using (var runs = await ParquetWriter.CreateAsync(RunsFile.Table.Schema, runsStream, ParquetSettings.Options, cancellationToken: ct))
                await using (var curves = await ParquetWriter.CreateAsync(CurvesFile.Table.Schema, curvesStream, ParquetSettings.Options, cancellationToken: ct))
                {
                    var loaded = new Dictionary<int, Part>();
                    for (var start = 0; start < location.Length; start += ChunkRows)
                    {
                        var end = Math.Min(start + ChunkRows, location.Length);
                        var needed = Enumerable.Range(start, end - start).Select(i => location[i].Part).ToHashSet();
                        foreach (var stale in loaded.Keys.Where(k => !needed.Contains(k)).ToList())
                        {
                            loaded.Remove(stale);
                        }

                        foreach (var p in needed.Where(p => !loaded.ContainsKey(p)))
                        {
                            loaded[p] = await Part.LoadAsync(parts[p], ct);
                        }

                        var runRows = new List<(Chunk<RunResult>, int)>(end - start);
                        var curveRows = new List<(Chunk<CurveResult>, int)>();
                        for (var i = start; i < end; i++)
                        {
                            var part = loaded[location[i].Part];
                            runRows.Add((part.Runs, location[i].Row));
                            curveRows.AddRange(part.CurveRows(location[i].Row));
                        }

                        var chunk = Chunk<RunResult>.Gather(runRows);
                        chunk.Set(RunColumns.RunIndex, Enumerable.Range(start, end - start).Select(i => (long)i).ToArray());
                        await RunsFile.Table.WriteChunkAsync(runs, chunk, ct);
                        for (var c = 0; c == 0 || c < curveRows.Count; c += CurvesFile.RowGroupRows)
                        {
                            var slice = curveRows.GetRange(c, Math.Min(CurvesFile.RowGroupRows, curveRows.Count - c));
                            await CurvesFile.Table.WriteChunkAsync(curves, Chunk<CurveResult>.Gather(slice), ct);
                        }
                    }
                }

                runsStream.Flush(flushToDisk: true);
                curvesStream.Flush(flushToDisk: true);
            }

            File.Move(curvesTemp, Path.Combine(directory, CurvesFile.FileName), overwrite: true);
            File.Move(runsTemp, Path.Combine(directory, RunsFile.FileName), overwrite: true);
        }
        finally
        {
            AtomicFile.TryDelete(runsTemp);
            AtomicFile.TryDelete(curvesTemp);
        }
    }

    /// <summary>
    /// When one part holds exactly the runs asked for, in order, with those indices, and fits one row group (a small
    /// sweep computed in one go), the consolidated files are byte for byte that part's files: copy them.
    /// </summary>
    private static async Task<bool> CopyWholePartAsync(string directory, IReadOnlyList<string> parts, (int Part, int Row)[] location, CancellationToken ct)
    {
        if (location.Length == 0 || location.Length > ChunkRows || location.Any(l => l.Part != location[0].Part)
            || Enumerable.Range(0, location.Length).Any(i => location[i].Row != i))
        {
            return false;
        }

        var part = parts[location[0].Part];
        var chunks = await RunsFile.Table.ReadAsync(part, [RunColumns.RunIndex], ct);
        var indices = chunks.SelectMany(c => c.Get(RunColumns.RunIndex)).ToList();
        if (indices.Count != location.Length || indices.Where((r, i) => r != i).Any())
        {
            return false;
        }

        await CopyAsync(ResultStore.CurvesPartOf(part), Path.Combine(directory, CurvesFile.FileName), ct);
        await CopyAsync(part, Path.Combine(directory, RunsFile.FileName), ct);
        return true;
    }

    private static Task CopyAsync(string from, string to, CancellationToken ct) =>
        AtomicFile.WriteAsync(to, async s =>
        {
            await using var source = File.OpenRead(from);
            await source.CopyToAsync(s, ct);
        }, ct);

    /// <summary>One stored part in memory: its runs as one chunk, and each run's curve rows found by its id.</summary>
    private sealed class Part(Chunk<RunResult> runs, Dictionary<string, List<(Chunk<CurveResult>, int)>> curves)
    {
        public Chunk<RunResult> Runs => runs;

        public List<(Chunk<CurveResult>, int)> CurveRows(int row) => curves.GetValueOrDefault(runs.Get(RunColumns.RunId)[row]!) ?? [];

        public static async Task<Part> LoadAsync(string runsPart, CancellationToken ct)
        {
            var runChunks = await RunsFile.Table.ReadAsync(runsPart, ct: ct);
            var runs = runChunks.Count == 1 ? runChunks[0]
                : Chunk<RunResult>.Gather([.. runChunks.SelectMany(c => Enumerable.Range(0, c.Count).Select(r => (c, r)))]);
            var curves = new Dictionary<string, List<(Chunk<CurveResult>, int)>>(StringComparer.Ordinal);
            foreach (var chunk in await CurvesFile.Table.ReadAsync(ResultStore.CurvesPartOf(runsPart), ct: ct))
            {
                var ids = chunk.Get(CurveColumns.RunId);
                for (var r = 0; r < chunk.Count; r++)
                {
                    if (!curves.TryGetValue(ids[r]!, out var list))
                    {
                        curves[ids[r]!] = list = [];
                    }

                    list.Add((chunk, r));
                }
            }

            return new Part(runs, curves);
        }
    }
}
