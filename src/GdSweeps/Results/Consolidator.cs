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
    public const int ChunkRows = 8192;

    /// <summary>What consolidation found: the grid indices no part holds (nothing is written when there are any).</summary>
    public sealed record Result(long Runs, IReadOnlyList<long> Missing);

    /// <param name="gridIds">The current grid's run ids, in grid order.</param>
    public static async Task<Result> ConsolidateAsync(string directory, IEnumerable<string> gridIds, CancellationToken ct)
    {
        var index = new Dictionary<ulong, int>();
        foreach (var id in gridIds)
        {
            index.TryAdd(Key(id), index.Count);
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
                if (index.TryGetValue(Key(ids[r].RunId), out var i) && (location[i].Part < 0 || (failed[i] && ids[r].Status != "failed")))
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

        await using var output = await Output.CreateAsync(directory, ct);
        var cache = new Dictionary<int, Part>();
        for (var start = 0; start < location.Length; start += ChunkRows)
        {
            var end = Math.Min(start + ChunkRows, location.Length);
            var needed = new HashSet<int>();
            for (var i = start; i < end; i++)
            {
                needed.Add(location[i].Part);
            }

            foreach (var stale in cache.Keys.Where(k => !needed.Contains(k)).ToList())
            {
                cache.Remove(stale);
            }

            foreach (var p in needed.Where(p => !cache.ContainsKey(p)))
            {
                cache[p] = await Part.LoadAsync(parts[p], ct);
            }

            var runs = new List<RunRecord>(end - start);
            var curves = new List<CurveRow>();
            for (var i = start; i < end; i++)
            {
                var part = cache[location[i].Part];
                var row = part.Runs[location[i].Row];
                row.RunIndex = i;
                runs.Add(row);
                var (first, count) = part.CurveSlices[location[i].Row];
                curves.AddRange(part.Curves.GetRange(first, count));
            }

            await output.WriteAsync(runs, curves, ct);
        }

        await output.CommitAsync();
        return new Result(index.Count, []);
    }

    private static ulong Key(string runId) => ulong.Parse(runId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>One stored part in memory: its runs, its curve rows, and where each run's curve rows are.</summary>
    private sealed record Part(List<RunRecord> Runs, List<CurveRow> Curves, (int First, int Count)[] CurveSlices)
    {
        public static async Task<Part> LoadAsync(string runsPart, CancellationToken ct)
        {
            var runs = await RunsFile.ReadAsync(runsPart, ct);
            var curves = await CurvesFile.ReadAsync(ResultStore.CurvesPartOf(runsPart), ct);
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
            output.runs = await ParquetWriter.CreateAsync(RunsFile.Schema, output.runsStream, cancellationToken: ct);
            output.curves = await ParquetWriter.CreateAsync(CurvesFile.Schema, output.curvesStream, cancellationToken: ct);
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
