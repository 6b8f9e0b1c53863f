using System.Globalization;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Plan;
using GdSweeps.Training;

namespace GdSweeps.Commands;

/// <summary>
/// Trains each run by running the config's command: at most <c>threads</c> at once, each attempt in a working
/// directory of its own with the run's variables, retried after a non-zero exit or a timeout, its log stored when the
/// run is over. A run that fails is a failed outcome with its reason; the sweep goes on.
/// </summary>
internal sealed class CommandTrainer : ITrainer, IDisposable
{
    private readonly SweepConfig config;
    private readonly TrainerSpec trainer;
    private readonly IReadOnlyDictionary<Problem, DataPaths> data;
    private readonly Workspace workspace;
    private readonly IRunLogs logs;
    private readonly SemaphoreSlim slots;
    private readonly InputGuard inputs;
    private readonly DataGuard? dataGuard;
    private readonly AttemptTokens? tokens;

    /// <param name="data">The transformed data of every problem of the plan.</param>
    /// <param name="threads">How many commands may run at once.</param>
    /// <param name="dataGuard">What holds each attempt to its data (the copies <paramref name="data"/> names).</param>
    /// <param name="stop">Cancelled when a trainer input changes during the sweep, which stops it.</param>
    /// <exception cref="OperationCanceledException">A trainer input changed since the config was read (<see cref="InputsChanged"/>).</exception>
    public CommandTrainer(
        SweepConfig config, IReadOnlyDictionary<Problem, DataPaths> data, Workspace workspace, IRunLogs logs, int threads, DataGuard? dataGuard = null,
        CancellationTokenSource? stop = null, AttemptTokens? tokens = null)
    {
        this.tokens = tokens;
        this.config = config;
        trainer = config.Trainer ?? throw new ArgumentException("the config has no trainer", nameof(config));
        inputs = new InputGuard(trainer.Inputs, stop ?? new CancellationTokenSource());
        this.dataGuard = dataGuard;
        this.data = data;
        this.workspace = workspace;
        this.logs = logs;
        slots = new SemaphoreSlim(Math.Max(1, threads));

        // Each run blocks a worker for as long as its process runs, and the sweep's workers nest (batches, then runs):
        // keep enough pool threads ready that the writers of finished parts never wait for one to be injected.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, (threads * threads) + (2 * threads) + 4), io);
    }

    /// <summary>Which trainer input changed during the sweep and stopped it; null while none did.</summary>
    public string? InputsChanged => inputs.Changed;

    /// <summary>A command's curve is what it reports, of a length known only then: the trainer allocates it.</summary>
    public int CurvePoints(RunSpec spec) => 0;

    public RunOutcome Train(RunSpec spec, ArraySegment<CurvePoint> curve, CancellationToken ct)
    {
        try
        {
            return Run(spec, ct);
        }
#pragma warning disable CA1031 // a run that fails for any reason is recorded, and the sweep goes on
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return RunOutcome.Failed($"{e.GetType().Name}: {e.Message}") with { Command = new CommandRecord { Log = logs.NameOf(spec.Id), Attempts = 1 } };
        }
    }

    private RunOutcome Run(RunSpec spec, CancellationToken ct)
    {
        var logPath = workspace.LogPath(spec.Id);
        RunOutcome outcome;
        using (var log = new RunLog(logPath))
        {
            AttemptResult last;
            int attempt;
            for (attempt = 1; ; attempt++)
            {
                log.NewAttempt();
                last = Attempt(spec, attempt, log, ct);
                if (!last.Retryable || attempt > trainer.Retries)
                {
                    break;
                }

                log.Note($"attempt {attempt} failed ({last.Error}); trying again");
            }

            outcome = CommandOutcome.From(spec, last, attempt, logs.NameOf(spec.Id), log.StderrTail(), config.Curve == CurveMode.All, config.Tolerance);

            // The log ends with what the run came to, so it reads whole without the tables.
            log.Note(outcome.Error is { } error ? $"the run failed: {error}" : $"the run is {outcome.Status.Name()}");
        }

        logs.Store(spec.Id, logPath);
        File.Delete(logPath);
        return outcome;
    }

    private AttemptResult Attempt(RunSpec spec, int attempt, RunLog log, CancellationToken ct)
    {
        slots.Wait(ct);
        var workdir = workspace.AttemptFolder(spec.Id, attempt);
        try
        {
            // The run's identity holds its inputs' hashes, and its dataset: checked before and after it uses them.
            inputs.Check();
            var paths = data[spec.Problem];
            var begun = dataGuard?.Begin(paths);
            var runJson = Path.Combine(workdir, "run.json");
            var values = RunVariables.Values(spec, config.Parameters, paths, workdir, runJson, attempt);
            RunVariables.WriteJson(runJson, spec, config, values, attempt);
            var arguments = trainer.Command.Skip(1).Select(a => Placeholders.Substitute(a, name => values[name])).ToList();
            log.Note(string.Create(CultureInfo.InvariantCulture, $"attempt {attempt} of run {spec.Id} at {RunLog.Now()}: {trainer.Program} {string.Join(" ", arguments.Select(Quote))} (in {trainer.WorkingDirectory})"));
            var curve = new ReportedCurve(spec.Get(SweepAxes.Steps), config.DivergenceThreshold, trainer.Metrics);
            AttemptResult result;
            var token = ProcessTree.NewToken();
            tokens?.Add(token, spec.Id.ToString());
            try
            {
                using var run = new Commands.Attempt(trainer, log, curve);
                result = run.Run(arguments, RunVariables.Environment(values, config.Parameters, trainer), ct, token);
            }
            finally
            {
                // Written while the attempt's processes may live; gone once Run has stopped every one of them.
                tokens?.Remove(token);
            }

            inputs.Check();
            if (dataGuard?.End(paths, begun!) is { } tampered)
            {
                log.Note($"the run failed: {tampered}");
                return result with { Error = tampered, Retryable = false };
            }

            return result;
        }
        finally
        {
            Workspace.Remove(workdir);
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();

    /// <summary>
    /// An argument as a log reader can tell it apart: quoted when it holds a space or a quote (the command got it whole
    /// either way).
    /// </summary>
    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
