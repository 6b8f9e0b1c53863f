using System.Buffers;
using GdSweeps.Grid;
using Parquet;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary>The runs parts: one row per run, in the columns of the sweep's <see cref="RunSchema"/>.</summary>
internal static class RunsFile
{
    /// <summary>
    /// The two columns every sweep's runs parts have that say which runs are stored and how they ended.
    /// </summary>
    private static Table<RunResult> IdsTable { get; } = new([RunColumns.RunId, RunColumns.Status]);

    /// <summary>The id and status of every row, reading only those two columns.</summary>
    /// <exception cref="InvalidDataException">An id or status no version of GdSweeps writes: the file is
    /// damaged.</exception>
    public static async Task<List<(RunId Id, RunStatus Status)>> ReadIdsAsync(string path, CancellationToken ct = default)
    {
        var result = new List<(RunId, RunStatus)>();
        foreach (var chunk in await IdsTable.ReadAsync(path, ct: ct))
        {
            var ids = Ids(chunk, path);
            var statuses = Statuses(chunk, path);
            for (var i = 0; i < chunk.Count; i++)
            {
                result.Add((ids[i], statuses[i]));
            }
        }

        return result;
    }

    /// <summary>The run ids of a chunk, parsed once.</summary>
    public static RunId[] Ids(Chunk<RunResult> chunk, string path) =>
        Array.ConvertAll(chunk.Get(RunColumns.RunId), text => RunId.TryParse(text, out var id) ? id
            : throw new InvalidDataException($"{Table<RunResult>.NameOf(path)}: '{text}' is not a run id; the file is damaged"));

    /// <summary>The statuses of a chunk, parsed once into <see cref="RunStatus"/>.</summary>
    public static RunStatus[] Statuses(Chunk<RunResult> chunk, string path) =>
        Array.ConvertAll(chunk.Get(RunColumns.Status), text => RunStatuses.TryParse(text, out var status) ? status
            : throw new InvalidDataException($"{Table<RunResult>.NameOf(path)}: '{text}' is not a run status; the file is damaged"));
}

/// <summary><c>curves.parquet</c> and the curves parts: one row per kept step of each run.</summary>
internal static class CurvesFile
{
    /// <summary>
    /// Curve rows per row group at most: each column of a group then stays under the large-object heap's 85 KB, and a
    /// reader of a few runs' curves skips the groups whose <c>run_index</c> range holds none of them.
    /// </summary>
    public const int RowGroupRows = 8192;

    public static Table<CurveResult> Table { get; } = new(CurveColumns.All);

    /// <summary>
    /// Writes the curve rows of <paramref name="runs"/>, in order, as a whole file of row groups of
    /// <see cref="RowGroupRows"/>, filled straight from the outcomes into pooled arrays: the hot path of a big sweep, so
    /// no array the size of a batch is made (a million runs would churn the large-object heap, and every such
    /// allocation can cost a full collection).
    /// </summary>
    public static Task WriteAsync(Stream stream, IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var writer = Table.CreateWriter(stream);
        var (index, step, loss, gradient, norm, w) = (Rent<long>(), Rent<int>(), Rent<double>(), Rent<double>(), Rent<double?>(), Rent<double>());
        Array[] columns = [index, step, loss, gradient, norm, w];
        try
        {
            int row = 0, groups = 0;
            for (var i = 0; i < runs.Count; i++)
            {
                var runIndex = runs[i].Index;
                var oneParameter = runs[i].Problem.Parameters == 1;
                foreach (var point in outcomes[i].Curve.AsSpan())
                {
                    index[row] = runIndex;
                    step[row] = point.Step;
                    loss[row] = point.Loss;
                    gradient[row] = point.Gradient;
                    w[row] = point.W;
                    norm[row] = oneParameter ? null : point.GradientNorm;
                    if (++row == RowGroupRows)
                    {
                        writer.WriteRowGroup(columns, 0, row);
                        (row, groups) = (0, groups + 1);
                    }
                }
            }

            if (row > 0 || groups == 0)
            {
                writer.WriteRowGroup(columns, 0, row);
            }

            writer.Finish();
            return Task.CompletedTask;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(index);
            ArrayPool<int>.Shared.Return(step);
            ArrayPool<double?>.Shared.Return(norm);
            foreach (var doubles in (double[][])[loss, gradient, w])
            {
                ArrayPool<double>.Shared.Return(doubles);
            }
        }

        static T[] Rent<T>() => ArrayPool<T>.Shared.Rent(RowGroupRows);
    }

    /// <summary>The curves of the runs at <paramref name="runIndices"/> only, from the given curves files.</summary>
    public static async Task<Dictionary<long, List<(int Step, double Loss)>>> ReadForRunsAsync(IEnumerable<string> paths, IReadOnlySet<long> runIndices, CancellationToken ct = default)
    {
        var result = new Dictionary<long, List<(int, double)>>();
        if (runIndices.Count == 0)
        {
            return result;
        }

        var wanted = runIndices;
        foreach (var path in paths)
        {
            await using var stream = StoredFiles.OpenRead(path);
            await ReadAsync(stream, wanted, result, ct);
        }

        return result;
    }

    private static Task ReadAsync(Stream stream, IReadOnlySet<long> wanted, Dictionary<long, List<(int, double)>> result, CancellationToken ct) =>
        Table.ForEachRowGroupAsync(stream, chunk =>
        {
            if (chunk.Count == 0)
            {
                return Task.CompletedTask; // no wanted run in this row group (its run_index range says so): not read
            }

            var ids = chunk.Get(CurveColumns.RunIndex);
            var steps = chunk.Get(CurveColumns.Step);
            var losses = chunk.Get(CurveColumns.Loss);
            for (var i = 0; i < chunk.Count; i++)
            {
                if (wanted.Contains(ids[i]))
                {
                    if (!result.TryGetValue(ids[i], out var list))
                    {
                        result[ids[i]] = list = [];
                    }

                    list.Add((steps[i], losses[i]));
                }
            }

            return Task.CompletedTask;
        }, [CurveColumns.RunIndex.Name, CurveColumns.Step.Name, CurveColumns.Loss.Name], ct, group =>
        {
            // A row group's statistics give its run_index range; one that holds no wanted run is skipped unread.
            var stats = group.GetStatistics(CurveColumns.RunIndex.Field);
            return stats?.MinValue is not long min || stats.MaxValue is not long max || wanted.Any(i => i >= min && i <= max);
        });

    /// <summary>
    /// A command trainer's sweep: the sharpness each of the runs at <paramref name="runIndices"/> reported, by step,
    /// from the given curves files.
    /// </summary>
    public static async Task<Dictionary<long, List<(int Step, double Sharpness)>>> ReadSharpnessAsync(
        IEnumerable<string> paths, IReadOnlySet<long> runIndices, CancellationToken ct = default)
    {
        var result = new Dictionary<long, List<(int, double)>>();
        var table = new Table<CurveResult>(CommandCurveColumns.All);
        foreach (var path in runIndices.Count == 0 ? [] : paths)
        {
            await using var stream = StoredFiles.OpenRead(path);
            await table.ForEachRowGroupAsync(stream, chunk =>
            {
                var ids = chunk.Get(CurveColumns.RunIndex);
                var steps = chunk.Get(CurveColumns.Step);
                var sharpness = chunk.Get(CommandCurveColumns.Sharpness);
                for (var i = 0; i < chunk.Count; i++)
                {
                    if (runIndices.Contains(ids[i]) && sharpness[i] is { } s)
                    {
                        if (!result.TryGetValue(ids[i], out var list))
                        {
                            result[ids[i]] = list = [];
                        }

                        list.Add((steps[i], s));
                    }
                }

                return Task.CompletedTask;
            }, [CurveColumns.RunIndex.Name, CurveColumns.Step.Name, CommandCurveColumns.Sharpness.Name], ct);
        }

        return result;
    }
}
