using GdSweeps.Commands;
using GdSweeps.Plan;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Pipeline;

/// <summary>
/// What trains a plan's runs: the built-in models, or the config's command, for which the transformed data is first
/// written into the results folder's <c>data/</c> and copied into a scratch area of the sweep's own (the children read
/// the copies; the results folder is never theirs to write).
/// </summary>
internal sealed class TrainerSetup : IDisposable
{
    private readonly Workspace? workspace;

    private TrainerSetup(ITrainer trainer, IReadOnlyList<StoredFile> data, Workspace? workspace)
    {
        Trainer = trainer;
        Data = data;
        this.workspace = workspace;
    }

    public ITrainer Trainer { get; }

    /// <summary>The data files written into the results folder (none for the built-in models).</summary>
    public IReadOnlyList<StoredFile> Data { get; }

    public static async Task<TrainerSetup> CreateAsync(SweepPlan plan, ResultFolder folder, int threads, CancellationToken ct)
    {
        if (plan.Config.Trainer is null)
        {
            return new TrainerSetup(new BuiltinTrainer(plan.Config), [], null);
        }

        var written = await DataFiles.WriteAsync(folder, plan.Problems, ct);
        var workspace = Workspace.Create();
        try
        {
            string Copy(StoredFile file) => workspace.AddData(folder.PathOf(file.File), Path.GetFileName(file.File));
            var paths = written.ToDictionary(f => f.Problem, f => new DataPaths(Copy(f.Csv), Copy(f.Parquet), Copy(f.Meta)));
            var trainer = new CommandTrainer(plan.Config, paths, workspace, new RunLogs(folder), threads);
            return new TrainerSetup(trainer, [.. written.SelectMany(f => new[] { f.Csv, f.Parquet, f.Meta })], workspace);
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        (Trainer as IDisposable)?.Dispose();
        workspace?.Dispose();
    }
}
