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

    /// <summary>Why the sweep was stopped by its trainer (a trainer input changed); null while it was not.</summary>
    public string? Stopped => (Trainer as CommandTrainer)?.Stopped;

    /// <param name="stop">The sweep's own cancellation, which the trainer cancels when an input it depends on changes.</param>
    public static async Task<TrainerSetup> CreateAsync(SweepPlan plan, ResultFolder folder, int threads, CancellationTokenSource stop)
    {
        var ct = stop.Token;
        if (plan.Config.Trainer is null)
        {
            return new TrainerSetup(new BuiltinTrainer(plan.Config), [], null);
        }

        var written = await DataFiles.WriteAsync(folder, plan.Problems, ct);
        var workspace = Workspace.Create();
        try
        {
            var guard = new DataGuard();
            string Copy(StoredFile file)
            {
                var copy = workspace.AddData(folder.PathOf(file.File), Path.GetFileName(file.File));
                guard.Add(folder.PathOf(file.File), copy);
                return copy;
            }

            var paths = written.ToDictionary(f => f.Problem, f => new DataPaths(Copy(f.Csv), Copy(f.Parquet), Copy(f.Meta)));
            // What a run killed outright left running is stopped before any run starts again.
            var tokens = new AttemptTokens(Path.Combine(folder.Hidden, $"attempts-{folder.Owner}"));
            tokens.StopLeftovers(w => Serilog.Log.Warning("{Warning}", w));
            var trainer = new CommandTrainer(plan.Config, paths, workspace, new RunLogs(folder), threads, guard, stop, tokens);
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
