using Parquet;
using Parquet.Schema;

namespace GdSweeps.Results;

/// <summary>The schema of <c>runs.parquet</c>, one row per run, and how its rows are written and read.</summary>
public static class RunsFile
{
    public const string FileName = "runs.parquet";

    private static readonly Table<RunRecord> Table = new(
    [
        Column.Of<RunRecord>("run_id", r => r.RunId, (r, v) => r.RunId = v),
        Column.Of<RunRecord>("group_id", r => r.GroupId, (r, v) => r.GroupId = v),
        Column.Of<RunRecord, long>("run_index", r => r.RunIndex, (r, v) => r.RunIndex = v),
        Column.Of<RunRecord, bool>("refinement", r => r.Refinement, (r, v) => r.Refinement = v),
        Column.Of<RunRecord>("dataset", r => r.Dataset, (r, v) => r.Dataset = v),
        Column.Of<RunRecord>("dataset_fingerprint", r => r.DatasetFingerprint, (r, v) => r.DatasetFingerprint = v),
        Column.Of<RunRecord, int>("samples", r => r.Samples, (r, v) => r.Samples = v),
        Column.Of<RunRecord, int>("features", r => r.Features, (r, v) => r.Features = v),
        Column.Of<RunRecord>("transform", r => r.Transform, (r, v) => r.Transform = v),
        Column.Of<RunRecord>("transform_x", r => r.TransformX, (r, v) => r.TransformX = v),
        Column.Of<RunRecord>("transform_y", r => r.TransformY, (r, v) => r.TransformY = v),
        Column.Of<RunRecord>("model", r => r.Model, (r, v) => r.Model = v),
        Column.Of<RunRecord>("loss", r => r.Loss, (r, v) => r.Loss = v),
        Column.Of<RunRecord, double>("huber_delta", r => r.HuberDelta, (r, v) => r.HuberDelta = v),
        Column.Of<RunRecord, double>("w0", r => r.W0, (r, v) => r.W0 = v),
        Column.Of<RunRecord>("w0_label", r => r.W0Label, (r, v) => r.W0Label = v),
        Column.Of<RunRecord, double>("init_std", r => r.InitStd, (r, v) => r.InitStd = v),
        Column.Of<RunRecord, double>("b0", r => r.B0, (r, v) => r.B0 = v),
        Column.Of<RunRecord>("optimizer", r => r.Optimizer, (r, v) => r.Optimizer = v),
        Column.Of<RunRecord>("optimizer_label", r => r.OptimizerLabel, (r, v) => r.OptimizerLabel = v),
        Column.Of<RunRecord, double>("beta", r => r.Beta, (r, v) => r.Beta = v),
        Column.Of<RunRecord, double>("beta1", r => r.Beta1, (r, v) => r.Beta1 = v),
        Column.Of<RunRecord, double>("beta2", r => r.Beta2, (r, v) => r.Beta2 = v),
        Column.Of<RunRecord, double>("alpha", r => r.Alpha, (r, v) => r.Alpha = v),
        Column.Of<RunRecord, double>("eps", r => r.Eps, (r, v) => r.Eps = v),
        Column.Of<RunRecord, int>("batch_size", r => r.BatchSize, (r, v) => r.BatchSize = v),
        Column.Of<RunRecord>("schedule", r => r.Schedule, (r, v) => r.Schedule = v),
        Column.Of<RunRecord, int>("warmup_steps", r => r.WarmupSteps, (r, v) => r.WarmupSteps = v),
        Column.Of<RunRecord, int>("decay_every", r => r.DecayEvery, (r, v) => r.DecayEvery = v),
        Column.Of<RunRecord, double>("decay_gamma", r => r.DecayGamma, (r, v) => r.DecayGamma = v),
        Column.Of<RunRecord, int>("steps", r => r.Steps, (r, v) => r.Steps = v),
        Column.Of<RunRecord, double>("clip", r => r.Clip, (r, v) => r.Clip = v),
        Column.Of<RunRecord>("clip_mode", r => r.ClipMode, (r, v) => r.ClipMode = v, nullable: true),
        Column.Of<RunRecord, int>("seed", r => r.Seed, (r, v) => r.Seed = v),
        Column.Of<RunRecord, double>("learning_rate", r => r.LearningRate, (r, v) => r.LearningRate = v),
        Column.Of<RunRecord>("status", r => r.Status, (r, v) => r.Status = v),
        Column.Of<RunRecord>("error", r => r.Error, (r, v) => r.Error = v, nullable: true),
        Column.Of<RunRecord, int>("steps_run", r => r.StepsRun, (r, v) => r.StepsRun = v),
        Column.Of<RunRecord, int>("diverged_at_step", r => r.DivergedAtStep, (r, v) => r.DivergedAtStep = v),
        Column.Of<RunRecord, int>("converged_at_step", r => r.ConvergedAtStep, (r, v) => r.ConvergedAtStep = v),
        Column.Of<RunRecord, double>("initial_loss", r => r.InitialLoss, (r, v) => r.InitialLoss = v),
        Column.Of<RunRecord, double>("final_loss", r => r.FinalLoss, (r, v) => r.FinalLoss = v),
        Column.Of<RunRecord, double>("final_loss_original", r => r.FinalLossOriginal, (r, v) => r.FinalLossOriginal = v),
        Column.Of<RunRecord, double>("best_loss", r => r.BestLoss, (r, v) => r.BestLoss = v),
        Column.Of<RunRecord, double>("initial_gradient", r => r.InitialGradient, (r, v) => r.InitialGradient = v),
        Column.Of<RunRecord, double>("initial_gradient_norm", r => r.InitialGradientNorm, (r, v) => r.InitialGradientNorm = v),
        Column.Of<RunRecord, double>("max_gradient_norm", r => r.MaxGradientNorm, (r, v) => r.MaxGradientNorm = v),
        Column.Of<RunRecord, int>("clipped_steps", r => r.ClippedSteps, (r, v) => r.ClippedSteps = v),
        Column.Of<RunRecord, double>("final_w", r => r.FinalW, (r, v) => r.FinalW = v),
        Column.Of<RunRecord, double>("final_b", r => r.FinalB, (r, v) => r.FinalB = v),
        Column.Of<RunRecord>("final_params", r => r.FinalParams, (r, v) => r.FinalParams = v),
        Column.Of<RunRecord, double>("distance_to_optimum", r => r.DistanceToOptimum, (r, v) => r.DistanceToOptimum = v),
        Column.Of<RunRecord, double>("w_star", r => r.WStar, (r, v) => r.WStar = v),
        Column.Of<RunRecord, double>("b_star", r => r.BStar, (r, v) => r.BStar = v),
        Column.Of<RunRecord, double>("loss_star", r => r.LossStar, (r, v) => r.LossStar = v),
        Column.Of<RunRecord, double>("lambda_max", r => r.LambdaMax, (r, v) => r.LambdaMax = v),
        Column.Of<RunRecord, double>("lambda_min", r => r.LambdaMin, (r, v) => r.LambdaMin = v),
        Column.Of<RunRecord, double>("condition_number", r => r.ConditionNumber, (r, v) => r.ConditionNumber = v),
        Column.Of<RunRecord, double>("lr_crit", r => r.LrCrit, (r, v) => r.LrCrit = v),
        Column.Of<RunRecord, double>("lr_crit_gd", r => r.LrCritGd, (r, v) => r.LrCritGd = v),
    ]);

    public static ParquetSchema Schema => Table.Schema;

    public static Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<RunRecord> rows, CancellationToken ct) =>
        Table.WriteRowGroupAsync(writer, rows, ct);

    /// <summary>The run id and status of every row, reading only those two columns.</summary>
    public static async Task<List<(string RunId, string Status)>> ReadIdsAsync(string path, CancellationToken ct = default)
    {
        var id = Table.Columns.First(c => c.Field.Name == "run_id").Field;
        var status = Table.Columns.First(c => c.Field.Name == "status").Field;
        await using var reader = await ParquetReader.CreateAsync(path, ParquetSettings.Options, cancellationToken: ct);
        var result = new List<(string, string)>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var ids = new string[group.RowCount];
            var statuses = new string[group.RowCount];
            await group.ReadAsync(id, ids, cancellationToken: ct);
            await group.ReadAsync(status, statuses, cancellationToken: ct);
            result.AddRange(ids.Zip(statuses));
        }

        return result;
    }

    /// <summary>The rows of each row group in turn, one row group in memory at a time.</summary>
    public static Task ForEachRowGroupAsync(string path, Action<RunRecord[]> onRows, CancellationToken ct = default) =>
        Table.ForEachRowGroupAsync(path, onRows, ct);

    /// <summary>Every row of a <c>runs.parquet</c> file, in file order.</summary>
    public static Task<List<RunRecord>> ReadAsync(string path, CancellationToken ct = default) => Table.ReadAsync(path, ct);
}
