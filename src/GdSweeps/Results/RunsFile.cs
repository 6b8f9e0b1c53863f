using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary><c>runs.parquet</c> and the runs parts: one row per run, in the columns of <see cref="RunColumns"/>.</summary>
public static class RunsFile
{
    public static Table<RunResult> Table { get; } = new(RunColumns.All);

    /// <summary>The id and status of every row, reading only those two columns.</summary>
    /// <exception cref="InvalidDataException">An id or status no version of GdSweeps writes: the file is damaged.</exception>
    public static async Task<List<(RunId Id, RunStatus Status)>> ReadIdsAsync(string path, CancellationToken ct = default)
    {
        var result = new List<(RunId, RunStatus)>();
        foreach (var chunk in await Table.ReadAsync(path, [RunColumns.RunId, RunColumns.Status], ct))
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
            : throw new InvalidDataException($"{path}: '{text}' is not a run id; the file is damaged"));

    /// <summary>The statuses of a chunk, parsed once into <see cref="RunStatus"/>.</summary>
    public static RunStatus[] Statuses(Chunk<RunResult> chunk, string path) =>
        Array.ConvertAll(chunk.Get(RunColumns.Status), text => RunStatuses.TryParse(text, out var status) ? status
            : throw new InvalidDataException($"{path}: '{text}' is not a run status; the file is damaged"));
}

/// <summary><c>curves.parquet</c> and the curves parts: one row per kept step of each run.</summary>
public static class CurvesFile
{
    /// <summary>Curve rows per row group at most: each column of a group then stays under the large-object heap's 85 KB.</summary>
    public const int RowGroupRows = 8192;

    public static Table<CurveResult> Table { get; } = new(CurveColumns.All);

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
            await using var stream = File.OpenRead(path);
            await ReadAsync(stream, wanted, result, ct);
        }

        return result;
    }

    private static Task ReadAsync(Stream stream, IReadOnlySet<long> wanted, Dictionary<long, List<(int, double)>> result, CancellationToken ct) =>
        Table.ForEachRowGroupAsync(stream, chunk =>
        {
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
        }, [CurveColumns.RunIndex, CurveColumns.Step, CurveColumns.Loss], ct);

    /// <summary>A command trainer's sweep: the sharpness each of the runs at <paramref name="runIndices"/> reported, by step, from the given curves files.</summary>
    public static async Task<Dictionary<long, List<(int Step, double Sharpness)>>> ReadSharpnessAsync(
        IEnumerable<string> paths, IReadOnlySet<long> runIndices, CancellationToken ct = default)
    {
        var result = new Dictionary<long, List<(int, double)>>();
        var table = new Table<CurveResult>(CommandCurveColumns.All);
        foreach (var path in runIndices.Count == 0 ? [] : paths)
        {
            await using var stream = File.OpenRead(path);
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
            }, [CurveColumns.RunIndex, CurveColumns.Step, CommandCurveColumns.Sharpness], ct);
        }

        return result;
    }
}
