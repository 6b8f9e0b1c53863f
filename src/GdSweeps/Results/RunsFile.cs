using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>The schema of <c>runs.parquet</c> and how its rows are written and read.</summary>
public static class RunsFile
{
    public const string FileName = "runs.parquet";

    private static readonly DataField<string> RunId = new("run_id", false);
    private static readonly DataField<long> RunIndex = new("run_index");
    private static readonly DataField<string> Dataset = new("dataset", false);
    private static readonly DataField<string> DatasetFingerprint = new("dataset_fingerprint", false);
    private static readonly DataField<int> Samples = new("samples");
    private static readonly DataField<string> Transform = new("transform", false);
    private static readonly DataField<string> Model = new("model", false);
    private static readonly DataField<string> Loss = new("loss", false);
    private static readonly DataField<string> Optimizer = new("optimizer", false);
    private static readonly DataField<double> W0 = new("w0");
    private static readonly DataField<double> LearningRate = new("learning_rate");
    private static readonly DataField<double?> Clip = new("clip");
    private static readonly DataField<int> Steps = new("steps");
    private static readonly DataField<string> Status = new("status", false);
    private static readonly DataField<int> StepsRun = new("steps_run");
    private static readonly DataField<int?> DivergedAtStep = new("diverged_at_step");
    private static readonly DataField<int?> ConvergedAtStep = new("converged_at_step");
    private static readonly DataField<double> InitialLoss = new("initial_loss");
    private static readonly DataField<double> FinalLoss = new("final_loss");
    private static readonly DataField<double> BestLoss = new("best_loss");
    private static readonly DataField<double> InitialGradient = new("initial_gradient");
    private static readonly DataField<double> MaxGradientNorm = new("max_gradient_norm");
    private static readonly DataField<int> ClippedSteps = new("clipped_steps");
    private static readonly DataField<double> FinalW = new("final_w");
    private static readonly DataField<double> WStar = new("w_star");
    private static readonly DataField<double> LossStar = new("loss_star");
    private static readonly DataField<double> LambdaMax = new("lambda_max");
    private static readonly DataField<double> LrCrit = new("lr_crit");

    public static ParquetSchema Schema { get; } = new(
        RunId, RunIndex, Dataset, DatasetFingerprint, Samples, Transform, Model, Loss, Optimizer, W0, LearningRate, Clip,
        Steps, Status, StepsRun, DivergedAtStep, ConvergedAtStep, InitialLoss, FinalLoss, BestLoss, InitialGradient,
        MaxGradientNorm, ClippedSteps, FinalW, WStar, LossStar, LambdaMax, LrCrit);

    /// <summary>Writes <paramref name="rows"/> as one row group; columns in schema order, as Parquet.Net requires.</summary>
    public static async Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<RunRecord> rows, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(RunId, Column(rows, r => r.RunId));
        await group.WriteAsync<long>(RunIndex, Column(rows, r => r.RunIndex), cancellationToken: ct);
        await group.WriteAsync(Dataset, Column(rows, r => r.Dataset));
        await group.WriteAsync(DatasetFingerprint, Column(rows, r => r.DatasetFingerprint));
        await group.WriteAsync<int>(Samples, Column(rows, r => r.Samples), cancellationToken: ct);
        await group.WriteAsync(Transform, Column(rows, r => r.Transform));
        await group.WriteAsync(Model, Column(rows, r => r.Model));
        await group.WriteAsync(Loss, Column(rows, r => r.Loss));
        await group.WriteAsync(Optimizer, Column(rows, r => r.Optimizer));
        await group.WriteAsync<double>(W0, Column(rows, r => r.W0), cancellationToken: ct);
        await group.WriteAsync<double>(LearningRate, Column(rows, r => r.LearningRate), cancellationToken: ct);
        await group.WriteAsync<double>(Clip, Column(rows, r => r.Clip), cancellationToken: ct);
        await group.WriteAsync<int>(Steps, Column(rows, r => r.Steps), cancellationToken: ct);
        await group.WriteAsync(Status, Column(rows, r => r.Status));
        await group.WriteAsync<int>(StepsRun, Column(rows, r => r.StepsRun), cancellationToken: ct);
        await group.WriteAsync<int>(DivergedAtStep, Column(rows, r => r.DivergedAtStep), cancellationToken: ct);
        await group.WriteAsync<int>(ConvergedAtStep, Column(rows, r => r.ConvergedAtStep), cancellationToken: ct);
        await group.WriteAsync<double>(InitialLoss, Column(rows, r => r.InitialLoss), cancellationToken: ct);
        await group.WriteAsync<double>(FinalLoss, Column(rows, r => r.FinalLoss), cancellationToken: ct);
        await group.WriteAsync<double>(BestLoss, Column(rows, r => r.BestLoss), cancellationToken: ct);
        await group.WriteAsync<double>(InitialGradient, Column(rows, r => r.InitialGradient), cancellationToken: ct);
        await group.WriteAsync<double>(MaxGradientNorm, Column(rows, r => r.MaxGradientNorm), cancellationToken: ct);
        await group.WriteAsync<int>(ClippedSteps, Column(rows, r => r.ClippedSteps), cancellationToken: ct);
        await group.WriteAsync<double>(FinalW, Column(rows, r => r.FinalW), cancellationToken: ct);
        await group.WriteAsync<double>(WStar, Column(rows, r => r.WStar), cancellationToken: ct);
        await group.WriteAsync<double>(LossStar, Column(rows, r => r.LossStar), cancellationToken: ct);
        await group.WriteAsync<double>(LambdaMax, Column(rows, r => r.LambdaMax), cancellationToken: ct);
        await group.WriteAsync<double>(LrCrit, Column(rows, r => r.LrCrit), cancellationToken: ct);
    }

    /// <summary>Every row of a <c>runs.parquet</c> file, in file order.</summary>
    public static async Task<List<RunRecord>> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        var rows = new List<RunRecord>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            async Task<T[]> Read<T>(DataField field)
                where T : struct
            {
                var values = new T[n];
                await group.ReadAsync<T>(field, values, cancellationToken: ct);
                return values;
            }

            async Task<T?[]> ReadNullable<T>(DataField field)
                where T : struct
            {
                var values = new T?[n];
                await group.ReadAsync<T>(field, values, cancellationToken: ct);
                return values;
            }

            async Task<string[]> ReadText(DataField field)
            {
                var values = new string[n];
                await group.ReadAsync(field, values, cancellationToken: ct);
                return values;
            }

            var runId = await ReadText(RunId);
            var runIndex = await Read<long>(RunIndex);
            var dataset = await ReadText(Dataset);
            var fingerprint = await ReadText(DatasetFingerprint);
            var samples = await Read<int>(Samples);
            var transform = await ReadText(Transform);
            var model = await ReadText(Model);
            var loss = await ReadText(Loss);
            var optimizer = await ReadText(Optimizer);
            var w0 = await Read<double>(W0);
            var lr = await Read<double>(LearningRate);
            var clip = await ReadNullable<double>(Clip);
            var steps = await Read<int>(Steps);
            var status = await ReadText(Status);
            var stepsRun = await Read<int>(StepsRun);
            var divergedAt = await ReadNullable<int>(DivergedAtStep);
            var convergedAt = await ReadNullable<int>(ConvergedAtStep);
            var initialLoss = await Read<double>(InitialLoss);
            var finalLoss = await Read<double>(FinalLoss);
            var bestLoss = await Read<double>(BestLoss);
            var initialGradient = await Read<double>(InitialGradient);
            var maxGradient = await Read<double>(MaxGradientNorm);
            var clipped = await Read<int>(ClippedSteps);
            var finalW = await Read<double>(FinalW);
            var wStar = await Read<double>(WStar);
            var lossStar = await Read<double>(LossStar);
            var lambda = await Read<double>(LambdaMax);
            var lrCrit = await Read<double>(LrCrit);
            for (var i = 0; i < n; i++)
            {
                rows.Add(new RunRecord
                {
                    RunId = runId[i],
                    RunIndex = runIndex[i],
                    Dataset = dataset[i],
                    DatasetFingerprint = fingerprint[i],
                    Samples = samples[i],
                    Transform = transform[i],
                    Model = model[i],
                    Loss = loss[i],
                    Optimizer = optimizer[i],
                    W0 = w0[i],
                    LearningRate = lr[i],
                    Clip = clip[i],
                    Steps = steps[i],
                    Status = status[i],
                    StepsRun = stepsRun[i],
                    DivergedAtStep = divergedAt[i],
                    ConvergedAtStep = convergedAt[i],
                    InitialLoss = initialLoss[i],
                    FinalLoss = finalLoss[i],
                    BestLoss = bestLoss[i],
                    InitialGradient = initialGradient[i],
                    MaxGradientNorm = maxGradient[i],
                    ClippedSteps = clipped[i],
                    FinalW = finalW[i],
                    WStar = wStar[i],
                    LossStar = lossStar[i],
                    LambdaMax = lambda[i],
                    LrCrit = lrCrit[i],
                });
            }
        }

        return rows;
    }

    internal static T[] Column<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> select)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(rows[i]);
        }

        return values;
    }
}
