using System.Diagnostics;
using System.Globalization;
using GdSweeps.Configs;

namespace GdSweeps.Commands;

/// <summary>One run a worker is sent: its line of JSON, the curve it reports into and its log.</summary>
internal sealed record WorkerRun(string Id, string Line, ReportedCurve Curve, RunLog Log);

/// <summary>
/// A long-lived process of a serving trainer (<c>trainer.serve</c>): started once, in its own process group with a
/// clean environment, then sent one run (or one batch of runs) at a time on its stdin, each answered with the
/// protocol's lines and an end line. A run that goes wrong ends that run only: the worker is told to stop a diverged
/// run, and is stopped and replaced (by its pool) when it crashes, hangs past the timeout, ignores a stop or breaks
/// the protocol.
/// </summary>
internal sealed class Worker : IDisposable
{
    /// <summary>How long a worker serving one run at a time may take to end a run it was told to stop.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How long the readers may take to drain the pipes once the worker is stopped.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    /// <summary>Lines written while no run is served (the worker starting): kept for the next run's log, the last of them.</summary>
    private const int PendingLines = 200;

    private readonly TrainerSpec trainer;
    private readonly ChildProcess child;
    private readonly string token;
    private readonly AttemptTokens? tokens;
    /// <summary>
    /// Lines read from the worker's stdout, null once it closed: a queue under a monitor, whose waits block without
    /// spinning (a line at a time, a spinning wait took the cores the workers needed).
    /// </summary>
    private readonly Queue<(string Text, bool Cut)?> stdout = new();
    private readonly Thread[] readers;
    private readonly Lock gate = new();
    private readonly Queue<(string Stream, string Text, bool Cut)> pending = new();
    private List<WorkerRun> serving = [];
    private Task sending = Task.CompletedTask;
    private volatile bool overLimit;
    private volatile bool stopped;

    /// <summary>The stderr reader's splitter, and how many of the bytes it read it has handed out as lines.</summary>
    private LineSplitter? errLines;
    private long handed;

    private Worker(TrainerSpec trainer, ChildProcess child, string token, AttemptTokens? tokens, int slot, string? device)
    {
        this.trainer = trainer;
        this.child = child;
        this.token = token;
        this.tokens = tokens;
        Slot = slot;
        Device = device;
        readers =
        [
            ChildText.Reader(() => ReadStdout(child.StandardOutput), "worker stdout"),
            ChildText.Reader(() => ReadStderr(child.StandardError), "worker stderr"),
        ];
    }

    /// <summary>The worker's place in its pool: which device it has, and the number it is told.</summary>
    public int Slot { get; }

    /// <summary>The device this worker was given; null when none.</summary>
    public string? Device { get; }

    /// <summary>The process is running and may be sent another run.</summary>
    public bool Alive => !stopped && !child.HasExited;

    /// <summary>Starts a worker in slot <paramref name="slot"/>; its whole environment is <paramref name="environment"/>.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started.</exception>
    public static Worker Start(TrainerSpec trainer, int slot, string? device, IReadOnlyList<KeyValuePair<string, string>> environment, AttemptTokens? tokens)
    {
        var token = ProcessTree.NewToken();
        ProcessTree.Begin(token);
        tokens?.Add(token, $"worker {slot} (a serving trainer's)");
        try
        {
            var child = ChildProcess.Start(
                trainer.Program, trainer.Command.Skip(1), trainer.WorkingDirectory, [.. environment, new(ProcessTree.TokenVariable, token)], input: true);
            return new Worker(trainer, child, token, tokens, slot, device);
        }
        catch
        {
            ProcessTree.End(token);
            tokens?.Remove(token);
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="runs"/> (one, or a batch of one group) and reads until each has ended; how each attempt
    /// ended, in their order. The worker is stopped when it must be (it is then not <see cref="Alive"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled: the worker is stopped.</exception>
    public AttemptResult[] Serve(IReadOnlyList<WorkerRun> runs, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var batched = trainer.Batch > 1;
        var states = runs.Select(_ => new State()).ToArray();
        var index = runs.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        lock (gate)
        {
            serving = [.. runs];
            overLimit = false;
            while (pending.TryDequeue(out var line))
            {
                foreach (var run in runs)
                {
                    run.Log.Child(line.Stream, line.Text, line.Cut);
                }
            }
        }

        foreach (var run in runs)
        {
            run.Log.Note(string.Create(CultureInfo.InvariantCulture, $"sent to worker {Slot} (pid {child.Id}{(Device is null ? "" : $", device {Device}")}) at {RunLog.Now()}"));
        }

        try
        {
            Send(batched ? $"{{\"batch\": [{string.Join(", ", runs.Select(r => r.Line))}]}}" : runs[0].Line);
            while (states.Any(s => !s.Ended))
            {
                ct.ThrowIfCancellationRequested();
                if (overLimit)
                {
                    return Fail(runs, states, clock, "output limit", ChildText.OutputLimit, retryable: false);
                }

                if (sending.IsFaulted && !child.HasExited && !stopped)
                {
                    // It stopped reading its stdin (closed it) while alive: it cannot be sent anything more.
                    return Ended(runs, states, clock, (null, "closed its stdin"));
                }

                if (!TryTake(out var item))
                {
                    if (trainer.Timeout is { } limit && clock.Elapsed >= limit)
                    {
                        return Fail(runs, states, clock, "timeout", $"timed out after {ChildText.Duration(limit)}", retryable: true);
                    }

                    if (!batched && states[0].StopAsked is { } asked && clock.Elapsed - asked > StopGrace)
                    {
                        runs[0].Log.Note($"the worker did not end the run within {StopGrace.TotalSeconds:0} s of being told to stop; it is replaced");
                        Stop();
                        states[0].Ended = true;
                    }

                    continue;
                }

                if (item is not { } line)
                {
                    // The worker's stdout closed: it exited (or closed it), whatever runs it had not ended end with it.
                    return Ended(runs, states, clock, ExitReason());
                }

                if (!Protocol.IsProtocol(line.Text))
                {
                    Text("out", line.Text, line.Cut);
                    continue;
                }

                WorkerLine parsed;
                int at;
                try
                {
                    if (line.Cut)
                    {
                        throw new ProtocolException($"longer than {LineSplitter.MaxLineBytes} bytes");
                    }

                    parsed = Protocol.ParseWorker(line.Text, trainer.Metrics, batched);
                    at = parsed.Run is null ? 0 : index.TryGetValue(parsed.Run, out var found) ? found
                        : throw new ProtocolException($"run {parsed.Run} is not one the worker was sent ({string.Join(", ", runs.Select(r => r.Id))})");
                }
                catch (ProtocolException e)
                {
                    // The stream can no longer be told apart by run: every run still open fails, the worker is replaced.
                    return Fail(runs, states, clock, "malformed output", $"worker stdout: {e.Message}: {ChildText.Shorten(line.Text)}", retryable: false);
                }

                var state = states[at];
                if (parsed.End)
                {
                    if (state.Ended)
                    {
                        return Fail(runs, states, clock, "malformed output", $"worker stdout: run {parsed.Run} ended twice: {ChildText.Shorten(line.Text)}", retryable: false);
                    }

                    state.Ended = true;
                    if (batched)
                    {
                        lock (gate)
                        {
                            serving.Remove(runs[at]); // what the worker writes now is not about it
                        }
                    }

                    if (parsed.Error is { } error && state.Stopped is null)
                    {
                        (state.Error, state.Retryable) = ($"the worker could not train it: {error}", true);
                        runs[at].Log.Note($"the worker ended the run with an error: {error}");
                    }

                    continue;
                }

                if (state.Ended || state.Stopped is not null)
                {
                    continue; // a stopped run's lines still in flight: its fate is decided
                }

                try
                {
                    runs[at].Curve.Add(parsed.Line!);
                }
                catch (ProtocolException e)
                {
                    (state.Stopped, state.Error) = ("malformed output", $"worker stdout: {e.Message}: {ChildText.Shorten(line.Text)}");
                    runs[at].Log.Note($"stopping: {state.Error}");
                    Tell(runs[at], state, clock);
                    continue;
                }

                if (runs[at].Curve.DivergedAt is { } step)
                {
                    state.Stopped = "diverged";
                    runs[at].Log.Note(string.Create(CultureInfo.InvariantCulture, $"diverged at step {step}: loss {runs[at].Curve.Losses[^1]:R}"));
                    Tell(runs[at], state, clock);
                }
            }

            // What it wrote to stderr before its last end line is the runs' own: read before they are let go.
            AwaitStderr();
            if (overLimit)
            {
                return Fail(runs, states, clock, "output limit", ChildText.OutputLimit, retryable: false, ended: true);
            }

            for (var i = 0; i < runs.Count; i++)
            {
                runs[i].Log.Note(string.Create(CultureInfo.InvariantCulture, $"{(states[i].Stopped is { } why ? $"stopped ({why})" : "ended")} after {clock.Elapsed.TotalSeconds:F3} s"));
            }

            return [.. states.Select((s, i) => Result(runs[i], s, clock, exitCode: null))];
        }
        catch (OperationCanceledException)
        {
            foreach (var run in runs)
            {
                run.Log.Note("stopped: the sweep was interrupted");
            }

            Stop();
            throw;
        }
        finally
        {
            lock (gate)
            {
                serving = [];
            }
        }
    }

    /// <summary>
    /// A protocol line the worker wrote after its last runs had ended (their lines are over: it is broken, and a line
    /// read now would be taken for the next run's); null when there is none. Text lines go to the next run's log.
    /// </summary>
    public string? Stray()
    {
        List<(string Text, bool Cut)> waiting = [];
        lock (stdout)
        {
            while (stdout.TryPeek(out var item) && item is { } line)
            {
                stdout.Dequeue();
                waiting.Add(line);
            }
        }

        foreach (var line in waiting)
        {
            if (Protocol.IsProtocol(line.Text))
            {
                return line.Text;
            }

            Text("out", line.Text, line.Cut);
        }

        return null;
    }

    /// <summary>
    /// Ends the worker: its stdin closed (a worker reading its runs ends its loop), a moment to exit, then its group
    /// and every process holding its token stopped.
    /// </summary>
    public void Retire()
    {
        if (!stopped)
        {
            try
            {
                child.StandardInput?.Close();
            }
            catch (IOException)
            {
                // Already gone.
            }

            child.Wait(TimeSpan.FromSeconds(2));
        }

        Stop();
    }

    public void Dispose()
    {
        Stop();
        child.Dispose();
    }

    /// <summary>Tells the worker to stop a run (its further lines are drained unread).</summary>
    private void Tell(WorkerRun run, State state, Stopwatch clock)
    {
        state.StopAsked = clock.Elapsed;
        Send($"{{\"stop\": \"{run.Id}\"}}");
    }

    /// <summary>
    /// Writes a line to the worker's stdin on the thread pool, after the lines before it: a batch's line may be larger
    /// than the pipe holds, and a worker that does not read must not stop the run's thread from keeping its timeout or
    /// hearing Ctrl-C. A write that fails (the worker exited, or closed its stdin) leaves <see cref="sending"/> faulted.
    /// </summary>
    private void Send(string line)
    {
        var writer = child.StandardInput!;
        lock (gate)
        {
            sending = sending.IsFaulted ? sending : sending.ContinueWith(
                _ =>
                {
                    writer.WriteLine(line);
                    writer.Flush();
                },
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Waits until the stderr pipe holds nothing unread and its reader has handed out every line (at most
    /// <see cref="Drain"/>: a worker may write to stderr from another thread all the time).
    /// </summary>
    private void AwaitStderr()
    {
        var clock = Stopwatch.StartNew();
        var settled = 0;
        while (clock.Elapsed < Drain && settled < 2)
        {
            // Handed is what the reader had split when it last went to read: equal to what it has read, nothing is
            // in its hands (read twice, a millisecond apart, past the moment a read returned and was not yet counted).
            settled = errLines is { } lines && child.StderrWaiting() == 0 && Volatile.Read(ref handed) == lines.BytesRead ? settled + 1 : 0;
            if (settled < 2)
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>
    /// Every run not yet ended (or, <paramref name="ended"/>, every run not stopped) fails with <paramref name="error"/>;
    /// the worker is stopped.
    /// </summary>
    private AttemptResult[] Fail(IReadOnlyList<WorkerRun> runs, State[] states, Stopwatch clock, string reason, string error, bool retryable, bool ended = false)
    {
        for (var i = 0; i < runs.Count; i++)
        {
            if ((ended || !states[i].Ended) && states[i].Stopped is null)
            {
                (states[i].Stopped, states[i].Error, states[i].Retryable) = (reason, error, retryable);
                runs[i].Log.Note($"stopping: {error}");
            }
        }

        Stop();
        int? code = child.HasExited ? child.ExitCode : null;
        return [.. states.Select((s, i) => Result(runs[i], s, clock, s.Ended && s.Error is null ? null : code))];
    }

    /// <summary>
    /// The worker exited while serving: a run it had not ended fails with its exit status, unless it exited with 0 (a
    /// worker that serves one run and exits has ended it).
    /// </summary>
    private AttemptResult[] Ended(IReadOnlyList<WorkerRun> runs, State[] states, Stopwatch clock, (int? Code, string Reason) exit)
    {
        Stop();
        var code = exit.Code ?? (child.HasExited ? child.ExitCode : null); // stopped here: the signal's status
        for (var i = 0; i < runs.Count; i++)
        {
            if (states[i].Ended)
            {
                continue; // it had ended its run before: nothing about the run
            }

            runs[i].Log.Note(string.Create(CultureInfo.InvariantCulture, $"the worker ended: {exit.Reason} after {clock.Elapsed.TotalSeconds:F3} s"));
            if (states[i].Stopped is null && exit.Code != 0)
            {
                (states[i].Error, states[i].Retryable) = ($"the worker {exit.Reason} while training it", true);
            }
        }

        return [.. states.Select((s, i) => Result(runs[i], s, clock, s.Ended ? null : code))];
    }

    private (int? Code, string Reason) ExitReason()
    {
        if (!child.Wait(Drain))
        {
            return (null, "closed its stdout without exiting");
        }

        var code = child.ExitCode;
        return (code, code > 128 ? $"was ended by signal {code - 128} (exit status {code})" : $"exited with status {code}");
    }

    private static AttemptResult Result(WorkerRun run, State state, Stopwatch clock, int? exitCode) =>
        new(run.Curve, exitCode ?? 0, clock.Elapsed.TotalSeconds, state.Stopped, state.Error, state.Retryable);

    /// <summary>Stops the process, its group and every process holding its token; the readers end.</summary>
    private void Stop()
    {
        lock (gate)
        {
            if (stopped)
            {
                return;
            }

            stopped = true;
        }

        child.Stop();
        ProcessTree.KillAll(token);
        ProcessTree.End(token);
        tokens?.Remove(token);
        foreach (var reader in readers)
        {
            if (!reader.Join(Drain))
            {
                child.CloseOutput();
                reader.Join(Drain);
            }
        }
    }

    private void ReadStdout(Stream stream)
    {
        var lines = new LineSplitter(stream);
        try
        {
            while (lines.Next() is { } line)
            {
                Put(line);
            }
        }
        finally
        {
            Put(null);
        }
    }

    private void Put((string Text, bool Cut)? line)
    {
        lock (stdout)
        {
            stdout.Enqueue(line);
            if (stdout.Count == 1)
            {
                Monitor.Pulse(stdout);
            }
        }
    }

    /// <summary>The next line from stdout (null: it closed), waiting at most <see cref="Poll"/>; false when none came.</summary>
    private bool TryTake(out (string Text, bool Cut)? line)
    {
        lock (stdout)
        {
            if (stdout.Count == 0)
            {
                Monitor.Wait(stdout, Poll);
            }

            return stdout.TryDequeue(out line);
        }
    }

    private void ReadStderr(Stream stream)
    {
        var lines = new LineSplitter(stream);
        errLines = lines;
        while (true)
        {
            if (!lines.Buffered)
            {
                Volatile.Write(ref handed, lines.BytesRead); // every line read so far handed out
            }

            if (lines.Next() is not { } line)
            {
                return;
            }

            Text("err", line.Text, line.Cut);
        }
    }

    /// <summary>Text for the logs of the runs being served; kept for the next run while none is.</summary>
    private void Text(string stream, string text, bool cut)
    {
        lock (gate)
        {
            if (serving.Count == 0)
            {
                pending.Enqueue((stream, text, cut));
                if (pending.Count > PendingLines)
                {
                    pending.Dequeue();
                }

                return;
            }

            foreach (var run in serving)
            {
                overLimit |= !run.Log.Child(stream, text, cut);
            }
        }
    }

    private sealed class State
    {
        public bool Ended { get; set; }

        public string? Stopped { get; set; }

        public string? Error { get; set; }

        public bool Retryable { get; set; }

        public TimeSpan? StopAsked { get; set; }
    }
}
