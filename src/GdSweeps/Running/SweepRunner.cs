using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;
using GdSweeps.Transforms;

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
        var total = config.RunCount;
        var batchSize = (int)Math.Clamp(total / 64, 256, 8192);
        var schedules = config.Steps.Distinct().ToDictionary(s => s, s => CurveSchedule.Steps(s, config.Curve == CurveMode.All));
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct };
        var counts = new long[Enum.GetValues<RunStatus>().Length];
        long done = 0;

        await using var writer = await ResultsWriter.CreateAsync(directory, ct);
        Task pending = Task.CompletedTask;
        foreach (var batch in SweepGrid.Runs(config).Chunk(batchSize))
        {
            var rows = new RunRecord[batch.Length];
            var curves = new CurvePoint[batch.Length][];
            var statuses = new RunStatus[batch.Length];
            Parallel.For(0, batch.Length, options, i =>
            {
                var spec = batch[i];
                var outcome = GradientDescent.Run(
                    spec.Problem, spec.W0, spec.LearningRate, spec.Clip, spec.Steps, config, schedules[spec.Steps]);
                rows[i] = ToRecord(spec, outcome);
                curves[i] = outcome.Curve;
                statuses[i] = outcome.Status;
            });

            await pending;
            foreach (var status in statuses)
            {
                counts[(int)status]++;
            }

            pending = writer.WriteAsync(rows, CurveRows(batch, curves), ct);
            done += batch.Length;
            progress?.Invoke(done, total);
        }

        await pending;
        await writer.CommitAsync();
        return new SweepTotals(total, counts);
    }

    private static List<CurveRow> CurveRows(RunSpec[] batch, CurvePoint[][] curves)
    {
        var rows = new List<CurveRow>(curves.Sum(c => c.Length));
        for (var i = 0; i < batch.Length; i++)
        {
            foreach (var p in curves[i])
            {
                rows.Add(new CurveRow(batch[i].RunId, p.Step, p.Loss, p.Gradient, p.W));
            }
        }

        return rows;
    }

    internal static RunRecord ToRecord(RunSpec spec, RunOutcome outcome)
    {
        var problem = spec.Problem;
        return new RunRecord
        {
            RunId = spec.RunId,
            RunIndex = spec.Index,
            Dataset = problem.Dataset.Name,
            DatasetFingerprint = problem.Dataset.Fingerprint,
            Samples = problem.Count,
            Transform = Transform.Name(problem.Transform),
            Model = SweepConfig.Model,
            Loss = SweepConfig.Loss,
            Optimizer = SweepConfig.Optimizer,
            W0 = spec.W0,
            LearningRate = spec.LearningRate,
            Clip = spec.Clip,
            Steps = spec.Steps,
            Status = outcome.Status.Name(),
            StepsRun = outcome.StepsRun,
            DivergedAtStep = outcome.DivergedAtStep,
            ConvergedAtStep = outcome.ConvergedAtStep,
            InitialLoss = outcome.InitialLoss,
            FinalLoss = outcome.FinalLoss,
            BestLoss = outcome.BestLoss,
            InitialGradient = outcome.InitialGradient,
            MaxGradientNorm = outcome.MaxGradientNorm,
            ClippedSteps = outcome.ClippedSteps,
            FinalW = outcome.FinalW,
            WStar = problem.WStar,
            LossStar = problem.LossStar,
            LambdaMax = problem.LambdaMax,
            LrCrit = problem.LrCrit,
        };
    }
}

/// <summary>How many runs a sweep had, and how many ended in each <see cref="RunStatus"/>.</summary>
public sealed record SweepTotals(long Runs, IReadOnlyList<long> ByStatus)
{
    public long Count(RunStatus status) => ByStatus[(int)status];
}
