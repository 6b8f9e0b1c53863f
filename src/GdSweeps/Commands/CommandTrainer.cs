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
    private readonly WorkerPool? workers;
    private string? gaveUp;

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
        stop ??= new CancellationTokenSource();
        inputs = new InputGuard(trainer.Inputs, stop);
        this.dataGuard = dataGuard;
        this.data = data;
        this.workspace = workspace;
        this.logs = logs;
        slots = new SemaphoreSlim(trainer.Workers(threads));
        if (trainer.Serve)
        {
            var sweep = stop;
            workers = new WorkerPool(trainer, workspace, trainer.Workers(threads), tokens, reason =>
            {
                if (Interlocked.CompareExchange(ref gaveUp, reason, null) is null)
                {
                    sweep.Cancel();
                }
            });
        }

        // Each run blocks a worker for as long as its process runs, and the sweep's workers nest (batches, then runs):
        // keep enough pool threads ready that the writers of finished parts never wait for one to be injected.
        ThreadPool.GetMinThreads(out var pooled, out var io);
        ThreadPool.SetMinThreads(Math.Max(pooled, (threads * threads) + (2 * threads) + 4), io);
    }

    /// <summary>
    /// Why the trainer stopped the sweep: a trainer input changed, or its workers kept failing; null while it did not.
    /// </summary>
    public string? Stopped => inputs.Changed ?? gaveUp;

    public int BatchSize => trainer.Batch;

    /// <summary>A command's curve is what it reports, of a length known only then: the trainer allocates it.</summary>
    public int CurvePoints(RunSpec spec) => 0;

    public RunOutcome Train(RunSpec spec, ArraySegment<CurvePoint> curve, CancellationToken ct) => TrainBatch([spec], ct)[0];

    public RunOutcome[] TrainBatch(IReadOnlyList<RunSpec> specs, CancellationToken ct)
    {
        try
        {
            return Run(specs, ct);
        }
#pragma warning disable CA1031 // a run that fails for any reason is recorded, and the sweep goes on
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return [.. specs.Select(spec => RunOutcome.Failed($"{e.GetType().Name}: {e.Message}") with { Command = new CommandRecord { Log = logs.NameOf(spec.Id), Attempts = 1 } })];
        }
    }

    /// <summary>
    /// Trains the runs (one, or a worker's batch), each attempt after the first only for the runs whose attempt failed in
    /// a way another may not repeat; each run's log stored when it is over.
    /// </summary>
    private RunOutcome[] Run(IReadOnlyList<RunSpec> specs, CancellationToken ct)
    {
        var paths = specs.Select(s => workspace.LogPath(s.Id)).ToArray();
        var outcomes = new RunOutcome[specs.Count];
        var runLogs = new RunLog[specs.Count];
        try
        {
            for (var i = 0; i < specs.Count; i++)
            {
                runLogs[i] = new RunLog(paths[i]);
            }

            var last = new AttemptResult[specs.Count];
            var attempts = new int[specs.Count];
            var todo = Enumerable.Range(0, specs.Count).ToList();
            for (var attempt = 1; todo.Count > 0; attempt++)
            {
                foreach (var i in todo)
                {
                    runLogs[i].NewAttempt();
                    attempts[i] = attempt;
                }

                var results = workers is null
                    ? [Attempt(specs[todo[0]], attempt, runLogs[todo[0]], ct)]
                    : Serve([.. todo.Select(i => specs[i])], attempt, [.. todo.Select(i => runLogs[i])], ct);
                for (var k = 0; k < todo.Count; k++)
                {
                    last[todo[k]] = results[k];
                }

                todo = [.. todo.Where(i => last[i].Retryable && attempt <= trainer.Retries)];
                foreach (var i in todo)
                {
                    runLogs[i].Note($"attempt {attempt} failed ({last[i].Error}); trying again");
                }
            }

            for (var i = 0; i < specs.Count; i++)
            {
                outcomes[i] = CommandOutcome.From(specs[i], last[i], attempts[i], logs.NameOf(specs[i].Id), runLogs[i].StderrTail(), config.Curve == CurveMode.All, config.Tolerance);

                // The log ends with what the run came to, so it reads whole without the tables.
                runLogs[i].Note(outcomes[i].Error is { } error ? $"the run failed: {error}" : $"the run is {outcomes[i].Status.Name()}");
            }
        }
        finally
        {
            foreach (var log in runLogs.OfType<RunLog>())
            {
                log.Dispose();
            }
        }

        for (var i = 0; i < specs.Count; i++)
        {
            logs.Store(specs[i].Id, paths[i]);
            File.Delete(paths[i]);
        }

        return outcomes;
    }

    /// <summary>
    /// One attempt of runs served by a worker: each run's folder, JSON and data checks as for a command of its own; the
    /// runs sent to one worker together.
    /// </summary>
    private AttemptResult[] Serve(IReadOnlyList<RunSpec> specs, int attempt, IReadOnlyList<RunLog> runLogs, CancellationToken ct)
    {
        slots.Wait(ct);
        var workdirs = specs.Select(s => workspace.AttemptFolder(s.Id, attempt)).ToArray();
        try
        {
            inputs.Check();
            var data = specs.Select(s => this.data[s.Problem]).ToArray();
            var begun = data.Select(p => dataGuard?.Begin(p)).ToArray();
            Worker worker;
            try
            {
                worker = workers!.Take(out var replaced);
                if (replaced is not null)
                {
                    foreach (var log in runLogs)
                    {
                        log.Note(replaced);
                    }
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
            {
                foreach (var log in runLogs)
                {
                    log.Note($"cannot start {trainer.Program}: {e.Message}");
                }

                return [.. specs.Select(s => new AttemptResult(new ReportedCurve(s.Get(SweepAxes.Steps), config.DivergenceThreshold, trainer.Metrics), null, 0, null, $"cannot start {trainer.Program}: {e.Message}", Retryable: false))];
            }

            AttemptResult[] results = [];
            try
            {
                var runs = new WorkerRun[specs.Count];
                for (var i = 0; i < specs.Count; i++)
                {
                    var runJson = Path.Combine(workdirs[i], "run.json");
                    var values = RunVariables.Values(specs[i], config.Parameters, data[i], workdirs[i], runJson, attempt);
                    RunVariables.WriteJson(runJson, specs[i], config, values, attempt);
                    var curve = new ReportedCurve(specs[i].Get(SweepAxes.Steps), config.DivergenceThreshold, trainer.Metrics);
                    runs[i] = new WorkerRun(specs[i].Id.ToString(), RunVariables.Line(specs[i], config, values, attempt, worker.Device), curve, runLogs[i]);
                }

                results = worker.Serve(runs, ct);
            }
            finally
            {
                workers.Return(worker, results);
            }

            inputs.Check();
            for (var i = 0; i < specs.Count; i++)
            {
                if (dataGuard?.End(data[i], begun[i]!) is { } tampered)
                {
                    runLogs[i].Note($"the run failed: {tampered}");
                    results[i] = results[i] with { Error = tampered, Retryable = false };
                }
            }

            return results;
        }
        finally
        {
            foreach (var workdir in workdirs)
            {
                Workspace.Remove(workdir);
            }

            slots.Release();
        }
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
            tokens?.Add(token, $"an attempt of run {spec.Id}");
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

    public void Dispose()
    {
        workers?.Dispose();
        slots.Dispose();
    }

    /// <summary>
    /// An argument as a log reader can tell it apart: quoted when it holds a space or a quote (the command got it whole
    /// either way).
    /// </summary>
    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
