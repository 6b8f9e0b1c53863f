using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>Runs every point of a sweep's grid in parallel and hands the rows, in grid order, to one writer.</summary>
/// <remarks>
/// Runs are computed in batches; while one batch is written, the next is computed. Each run is a pure function of its
/// spec, and rows are placed by grid index, so the files are the same bytes at any thread count.
/// </remarks>
public sealed class SweepRunner(SweepConfig config, int threads)
{
    /// <summary>Runs the whole grid into <paramref name="directory"/>; <paramref name="progress"/> gets (done, total) after each batch.</summary>
    public async Task<SweepTotals> RunAsync(string directory, Action<long, long>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var total = SweepGrid.Count(config);
        var batchSize = (int)Math.Clamp(total / 64, 256, 8192);
        var schedules = config.Steps.Distinct().ToDictionary(s => s, s => CurveSchedule.Steps(s, config.Curve == CurveMode.All));
        var settings = config.Settings;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct };
        var counts = new long[Enum.GetValues<RunStatus>().Length];
        long done = 0;

        await using var writer = await ResultsWriter.CreateAsync(directory, ct);
        Task pending = Task.CompletedTask;
        foreach (var batch in SweepGrid.Runs(config).Chunk(batchSize))
        {
            var outcomes = new RunOutcome[batch.Length];
            Parallel.For(0, batch.Length, options, i => outcomes[i] = Train(batch[i], settings, schedules[batch[i].Steps]));

            await pending;
            var rows = new RunRecord[batch.Length];
            var curves = new List<CurveRow>();
            for (var i = 0; i < batch.Length; i++)
            {
                rows[i] = Records.Run(batch[i], outcomes[i]);
                Records.AddCurve(curves, batch[i].RunId, outcomes[i].Curve);
                counts[(int)outcomes[i].Status]++;
            }

            pending = writer.WriteAsync(rows, curves, ct);
            done += batch.Length;
            progress?.Invoke(done, total);
        }

        await pending;
        await writer.CommitAsync();
        return new SweepTotals(total, counts);
    }

    /// <summary>One run; a run that throws becomes a failed row, never a failed sweep.</summary>
    public static RunOutcome Train(RunSpec spec, TrainSettings settings, int[] curveSteps)
    {
        try
        {
            return Trainer.Run(spec, settings, curveSteps);
        }
#pragma warning disable CA1031 // a failing run is recorded, whatever it threw
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return Records.Failed(e);
        }
    }
}

/// <summary>How many runs a sweep had, and how many ended in each <see cref="RunStatus"/>.</summary>
public sealed record SweepTotals(long Runs, IReadOnlyList<long> ByStatus)
{
    public long Count(RunStatus status) => ByStatus[(int)status];
}
