using Parquet;
using GdSweeps.Results;

namespace GdSweeps.Analysis;

/// <summary>The schemas of <c>summary.parquet</c> (one row per group) and <c>transfer.parquet</c> (one row per setting).</summary>
public static class SummaryFiles
{
    public const string SummaryFileName = "summary.parquet";
    public const string TransferFileName = "transfer.parquet";

    private static readonly Table<GroupSummary> Summary = new(
    [
        Column.Of<GroupSummary>("group_id", r => r.GroupId, (r, v) => r.GroupId = v),
        Column.Of<GroupSummary>("dataset", r => r.Dataset, (r, v) => r.Dataset = v),
        Column.Of<GroupSummary, int>("samples", r => r.Samples, (r, v) => r.Samples = v),
        Column.Of<GroupSummary, int>("features", r => r.Features, (r, v) => r.Features = v),
        Column.Of<GroupSummary>("transform", r => r.Transform, (r, v) => r.Transform = v),
        Column.Of<GroupSummary>("model", r => r.Model, (r, v) => r.Model = v),
        Column.Of<GroupSummary>("loss", r => r.Loss, (r, v) => r.Loss = v),
        Column.Of<GroupSummary>("optimizer", r => r.Optimizer, (r, v) => r.Optimizer = v),
        Column.Of<GroupSummary>("schedule", r => r.Schedule, (r, v) => r.Schedule = v),
        Column.Of<GroupSummary, double>("clip", r => r.Clip, (r, v) => r.Clip = v),
        Column.Of<GroupSummary>("clip_mode", r => r.ClipMode, (r, v) => r.ClipMode = v, nullable: true),
        Column.Of<GroupSummary>("w0", r => r.W0, (r, v) => r.W0 = v),
        Column.Of<GroupSummary, double>("b0", r => r.B0, (r, v) => r.B0 = v),
        Column.Of<GroupSummary, int>("steps", r => r.Steps, (r, v) => r.Steps = v),
        Column.Of<GroupSummary, int>("runs", r => r.Runs, (r, v) => r.Runs = v),
        Column.Of<GroupSummary, int>("refinement_runs", r => r.RefinementRuns, (r, v) => r.RefinementRuns = v),
        Column.Of<GroupSummary, int>("seeds", r => r.Seeds, (r, v) => r.Seeds = v),
        Column.Of<GroupSummary, int>("diverged", r => r.Diverged, (r, v) => r.Diverged = v),
        Column.Of<GroupSummary, int>("failed", r => r.Failed, (r, v) => r.Failed = v),
        Column.Of<GroupSummary, bool>("uninformative", r => r.Uninformative, (r, v) => r.Uninformative = v),
        Column.Of<GroupSummary, double>("initial_gradient", r => r.InitialGradient, (r, v) => r.InitialGradient = v),
        Column.Of<GroupSummary, double>("lambda_max", r => r.LambdaMax, (r, v) => r.LambdaMax = v),
        Column.Of<GroupSummary, double>("lambda_min", r => r.LambdaMin, (r, v) => r.LambdaMin = v),
        Column.Of<GroupSummary, double>("condition_number", r => r.ConditionNumber, (r, v) => r.ConditionNumber = v),
        Column.Of<GroupSummary, double>("lr_crit", r => r.LrCrit, (r, v) => r.LrCrit = v),
        Column.Of<GroupSummary, double>("max_stable_lr", r => r.MaxStableLr, (r, v) => r.MaxStableLr = v),
        Column.Of<GroupSummary, double>("min_unstable_lr", r => r.MinUnstableLr, (r, v) => r.MinUnstableLr = v),
        Column.Of<GroupSummary, double>("edge_ratio", r => r.EdgeRatio, (r, v) => r.EdgeRatio = v),
        Column.Of<GroupSummary, double>("min_converged_lr", r => r.MinConvergedLr, (r, v) => r.MinConvergedLr = v),
        Column.Of<GroupSummary, double>("max_converged_lr", r => r.MaxConvergedLr, (r, v) => r.MaxConvergedLr = v),
        Column.Of<GroupSummary, double>("best_lr", r => r.BestLr, (r, v) => r.BestLr = v),
        Column.Of<GroupSummary, double>("best_final_loss", r => r.BestFinalLoss, (r, v) => r.BestFinalLoss = v),
        Column.Of<GroupSummary, double>("best_final_loss_original", r => r.BestFinalLossOriginal, (r, v) => r.BestFinalLossOriginal = v),
        Column.Of<GroupSummary, int>("best_converged_at_step", r => r.BestConvergedAtStep, (r, v) => r.BestConvergedAtStep = v),
    ]);

    private static readonly Table<TransferSummary> Transfer = new(
    [
        Column.Of<TransferSummary>("transform", r => r.Transform, (r, v) => r.Transform = v),
        Column.Of<TransferSummary>("model", r => r.Model, (r, v) => r.Model = v),
        Column.Of<TransferSummary>("loss", r => r.Loss, (r, v) => r.Loss = v),
        Column.Of<TransferSummary>("optimizer", r => r.Optimizer, (r, v) => r.Optimizer = v),
        Column.Of<TransferSummary>("schedule", r => r.Schedule, (r, v) => r.Schedule = v),
        Column.Of<TransferSummary, double>("clip", r => r.Clip, (r, v) => r.Clip = v),
        Column.Of<TransferSummary>("clip_mode", r => r.ClipMode, (r, v) => r.ClipMode = v, nullable: true),
        Column.Of<TransferSummary>("w0", r => r.W0, (r, v) => r.W0 = v),
        Column.Of<TransferSummary, double>("b0", r => r.B0, (r, v) => r.B0 = v),
        Column.Of<TransferSummary, int>("steps", r => r.Steps, (r, v) => r.Steps = v),
        Column.Of<TransferSummary, int>("datasets", r => r.Datasets, (r, v) => r.Datasets = v),
        Column.Of<TransferSummary, double>("stable_low", r => r.StableLow, (r, v) => r.StableLow = v),
        Column.Of<TransferSummary, double>("stable_high", r => r.StableHigh, (r, v) => r.StableHigh = v),
        Column.Of<TransferSummary, double>("converged_low", r => r.ConvergedLow, (r, v) => r.ConvergedLow = v),
        Column.Of<TransferSummary, double>("converged_high", r => r.ConvergedHigh, (r, v) => r.ConvergedHigh = v),
        Column.Of<TransferSummary>("statement", r => r.Statement, (r, v) => r.Statement = v),
    ]);

    public static Task WriteSummaryAsync(string path, IReadOnlyList<GroupSummary> rows, CancellationToken ct) =>
        AtomicFile.WriteAsync(path, async s =>
        {
            await using var writer = await ParquetWriter.CreateAsync(Summary.Schema, s, ParquetSettings.Options, cancellationToken: ct);
            await Summary.WriteRowGroupAsync(writer, rows, ct);
        }, ct);

    public static Task WriteTransferAsync(string path, IReadOnlyList<TransferSummary> rows, CancellationToken ct) =>
        AtomicFile.WriteAsync(path, async s =>
        {
            await using var writer = await ParquetWriter.CreateAsync(Transfer.Schema, s, ParquetSettings.Options, cancellationToken: ct);
            await Transfer.WriteRowGroupAsync(writer, rows, ct);
        }, ct);

    public static Task<List<GroupSummary>> ReadSummaryAsync(string path, CancellationToken ct = default) => Summary.ReadAsync(path, ct);

    public static Task<List<TransferSummary>> ReadTransferAsync(string path, CancellationToken ct = default) => Transfer.ReadAsync(path, ct);
}
