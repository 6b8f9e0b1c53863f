using GdSweeps.Results;
using static GdSweeps.Results.Columns;

namespace GdSweeps.Analysis;

/// <summary>
/// The columns of <c>summary.parquet</c> (one row per group) and <c>transfer.parquet</c> (one row per setting), each
/// declared once.
/// </summary>
internal static class SummaryFiles
{
    public const string SummaryFileName = "summary.parquet";
    public const string TransferFileName = "transfer.parquet";

    /// <summary>The setting's columns, named and typed as in <c>runs/</c>.</summary>
    internal static List<RowColumn<TRow>> SettingColumns<TRow>(SettingSchema schema, Func<TRow, Setting> setting) =>
        [.. schema.Columns.Select(c => Boxed<TRow>(c.Name, c.Type, r => setting(r)[c.Name], c.Meaning, c.NullMeans))];

    private static IReadOnlyList<RowColumn<GroupSummary>> GroupId { get; } = [Text<GroupSummary>("group_id", r => r.GroupId.ToString(), "as in `runs/`")];

    private static IReadOnlyList<RowColumn<GroupSummary>> SummaryColumns { get; } =
    [
        Value<GroupSummary, int>("samples", r => r.Figures.Samples, "n"),
        Value<GroupSummary, int>("features", r => r.Figures.Features, "d"),
        Value<GroupSummary, int>("runs", r => r.Runs, "runs in the group, refinement included"),
        Value<GroupSummary, int>("refinement_runs", r => r.RefinementRuns, "of which added by refinement: bisection of the edge, or the search for it beyond the grid"),
        Value<GroupSummary, int>("seeds", r => r.Seeds, "distinct seeds"),
        Value<GroupSummary, int>("diverged", r => r.Diverged, "runs that diverged"),
        Value<GroupSummary, int>("failed", r => r.Failed, "runs that failed"),
        Value<GroupSummary, bool>("uninformative", r => r.Uninformative, "every run started at the optimum: nothing can be said about stability"),
        Optional<GroupSummary, double>("initial_gradient", r => r.Figures.InitialGradient, "first gradient component at the start", "the group's first run failed"),
        Optional<GroupSummary, double>("lambda_max", r => r.Figures.LambdaMax, "largest eigenvalue of the MSE Hessian", "the loss is not quadratic"),
        Optional<GroupSummary, double>("lambda_min", r => r.Figures.LambdaMin, "smallest eigenvalue of the MSE Hessian", "the loss is not quadratic"),
        Optional<GroupSummary, double>("condition_number", r => r.Figures.ConditionNumber, "lambda_max / lambda_min", "the loss is not quadratic"),
        Optional<GroupSummary, double>("lr_crit", r => r.Figures.LrCrit, "the analytic bound for the group's optimizer (clipping does not move it)", "no theory applies"),
        Optional<GroupSummary, double>("max_stable_lr", r => r.MaxStableLr, "converges up to: the largest learning rate below which no run diverged, was diverging or only swung held by a clip (`bounded`)", "no stable rate tried"),
        Optional<GroupSummary, double>("min_unstable_lr", r => r.MinUnstableLr, "the smallest learning rate at which some run diverged, was diverging or was `bounded`", "nothing tried was unstable"),
        Optional<GroupSummary, double>("edge_ratio", r => r.EdgeRatio, "`max_stable_lr / lr_crit` (close to 1, from below, when refined)", "no bound, no stable rate, or runs in the bracket still in transit"),
        Optional<GroupSummary, double>("in_transit_lr", r => r.InTransitLr, "the lowest rate between `max_stable_lr` and `min_unstable_lr` whose run was still `in-transit`: the edge cannot be told there within the budget", "no run there was in transit"),
        Optional<GroupSummary, int>("in_transit_steps", r => r.InTransitSteps, "the capped steps that run needs to arrive (`steps_to_arrive`): about what telling the edge would take", "no run was in transit there"),
        Optional<GroupSummary, double>("max_finite_lr", r => r.MaxFiniteLr, "a clipped group's finite up to: the largest rate below which no run crossed `divergence_threshold`", "the group does not clip, or no rate stayed finite"),
        Optional<GroupSummary, double>("min_infinite_lr", r => r.MinInfiniteLr, "a clipped group's smallest rate at which some run crossed `divergence_threshold`", "the group does not clip, or none did"),
        Optional<GroupSummary, double>("lr_finite", r => r.Figures.LrFinite, "a clipped group's finite edge by theory, `sqrt(2 (T - loss_star) / lambda_max) / c`", "the group does not clip, or no theory applies"),
        OptionalText<GroupSummary>("edge_beyond_grid", r => r.EdgeBeyondGrid, "`above` or `below`: the edge lay beyond the config's rates, and refinement went out to find it (by decades, up to 1e6 times the grid's end)", "the edge lay within the grid's rates, or none was seen"),
        Optional<GroupSummary, double>("min_converged_lr", r => r.MinConvergedLr, "the converged range's smallest rate: the run of consecutive rates tried, every run converged at each, around the fastest such rate (fewest steps of its slowest run)", "none converged"),
        Optional<GroupSummary, double>("max_converged_lr", r => r.MaxConvergedLr, "the converged range's largest rate", "none converged"),
        Optional<GroupSummary, double>("best_lr", r => r.BestLr, "the rate that converged in the fewest steps, else the lowest final loss", "no finite run"),
        Optional<GroupSummary, double>("best_final_loss", r => r.BestFinalLoss, "its final loss (transformed units)", "no finite run"),
        Optional<GroupSummary, double>("best_final_loss_original", r => r.BestFinalLossOriginal, "its final loss in the original units of y", "no finite run"),
        Optional<GroupSummary, int>("best_converged_at_step", r => r.BestConvergedAtStep, "its steps to converge", "it did not converge"),
        Optional<GroupSummary, double>("fastest_lr", r => r.Figures.FastestLr, "GD's rate of the best worst-case contraction, `2/(lambda_max + lambda_min)`", "not GD on MSE"),
        Optional<GroupSummary, long>("fastest_lr_steps", r => r.Figures.FastestLrSteps, "the steps theory predicts at `fastest_lr` from the group's start", "not GD on MSE"),
        Optional<GroupSummary, double>("stalled_lr", r => r.StalledLr, "the highest rate at which a run stalled (approaching, not converged within the budget)", "no run stalled, or theory gives no steps"),
        Optional<GroupSummary, int>("stalled_steps", r => r.StalledSteps, "the steps theory says that run needs to converge (`predicted_converged_at_step`)", "no run stalled, or theory gives no steps"),
    ];

    private static IReadOnlyList<RowColumn<TransferSummary>> TransferColumns { get; } =
    [
        Value<TransferSummary, int>("datasets", r => r.Datasets, "datasets in the sweep"),
        Optional<TransferSummary, double>("stable_low", r => r.StableLow, "the smallest rate of the longest run of consecutive rates stable on every dataset", "no rate is"),
        Optional<TransferSummary, double>("stable_high", r => r.StableHigh, "the largest rate of that run", "no rate is"),
        Optional<TransferSummary, double>("converged_low", r => r.ConvergedLow, "the converged range over every dataset: the run of consecutive rates converged on all, around the fastest such rate (as `min_converged_lr`, which it equals for one dataset)", "no rate did"),
        Optional<TransferSummary, double>("converged_high", r => r.ConvergedHigh, "its largest rate", "no rate did"),
        Text<TransferSummary>("statement", r => r.Statement, "the answer in words"),
    ];

    /// <summary>
    /// What a command trainer's summary adds: the sharpness at the start, and the measured edge against 2 over it.
    /// </summary>
    public static IReadOnlyList<RowColumn<GroupSummary>> CommandSummaryColumns { get; } =
    [
        Optional<GroupSummary, double>("sharpness_0", r => r.Sharpness0, "the largest sharpness the group's runs reported at step 0 (`lr_crit` is 2 over it)", "no run reported sharpness at step 0"),
        OptionalText<GroupSummary>("edge_vs_sharpness", r => r.SharpnessStatement,
            "where the measured edge lies against `2/sharpness_0`, and why when it lies elsewhere: what the runs' sharpness did against `2/lr` (docs/analysis.md)", "no run reported sharpness at step 0"),
    ];

    /// <summary>
    /// The summary of <paramref name="schema"/>'s sweep: the group id, its setting, its figures (and a command
    /// trainer's sharpness).
    /// </summary>
    public static Table<GroupSummary> SummaryFor(RunSchema schema) => new(
        [.. GroupId, .. SettingColumns<GroupSummary>(schema.Setting, r => r.Setting), .. SummaryColumns, .. schema.Command ? CommandSummaryColumns : []],
        Metadata(schema.Setting));

    /// <summary>
    /// The transfer table of <paramref name="schema"/>'s sweep: the setting but its dataset, then what holds on every
    /// dataset.
    /// </summary>
    public static Table<TransferSummary> TransferFor(RunSchema schema)
    {
        var setting = schema.Setting.WithoutDataset();
        return new([.. SettingColumns<TransferSummary>(setting, r => r.Setting), .. TransferColumns], Metadata(setting));
    }

    /// <summary>Every column a summary may have besides the setting's, for docs/results-schema.md.</summary>
    public static IReadOnlyList<Column> SummaryFigures => [.. GroupId, .. SummaryColumns, .. CommandSummaryColumns];

    /// <summary>Every column a transfer table has besides the setting's, for docs/results-schema.md.</summary>
    public static IReadOnlyList<Column> TransferFigures => TransferColumns;

    private static Dictionary<string, string> Metadata(SettingSchema setting) => new() { [SettingSchema.MetadataKey] = setting.ToJson() };
}
