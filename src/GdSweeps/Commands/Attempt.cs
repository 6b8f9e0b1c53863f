using System.Diagnostics;
using System.Globalization;
using GdSweeps.Configs;

namespace GdSweeps.Commands;

/// <summary>How one attempt of a run ended.</summary>
/// <param name="ExitCode">The exit status (128 + n after signal n); null when the program could not be started.</param>
/// <param name="Stopped">Why the tool stopped the command (<c>diverged</c>, <c>timeout</c>, <c>malformed output</c>,
/// <c>output limit</c>); null when it ended by itself.</param>
/// <param name="Error">Why the attempt failed; null when it did not.</param>
/// <param name="Retryable">A failure another attempt may not repeat: a non-zero exit or a timeout.</param>
internal sealed record AttemptResult(ReportedCurve Curve, int? ExitCode, double Seconds, string? Stopped, string? Error, bool Retryable);

/// <summary>
/// Runs one attempt of a command: starts it in its own process group, reads its stdout (the protocol, and text for the
/// log) and stderr (for the log) on threads of their own, and stops it the moment it diverges, breaks the protocol,
/// writes too much, runs out of time or the sweep is cancelled.
/// </summary>
internal sealed class Attempt(TrainerSpec trainer, RunLog log, ReportedCurve curve) : IDisposable
{
    /// <summary>
    /// How long the readers may take to drain the pipes after the child ended (a grandchild outside its group could
    /// hold them open).
    /// </summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    private readonly ManualResetEvent stop = new(false);
    private readonly Lock gate = new();
    private string? stopped;
    private string? error;

    /// <summary>The attempt is over: what its readers still see goes nowhere (the curve and the log are its outcome's).</summary>
    private bool closed;

    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled before the command ended; it
    /// has been stopped.</exception>
    /// <param name="token">The attempt's token (<see cref="ProcessTree"/>): every process it starts carries it, and goes with it.</param>
    public AttemptResult Run(IReadOnlyList<string> arguments, IReadOnlyList<KeyValuePair<string, string>> environment, CancellationToken ct, string? token = null)
    {
        var clock = Stopwatch.StartNew();
        token ??= ProcessTree.NewToken();
        ChildProcess child;
        try
        {
            ProcessTree.Begin(token);
            child = ChildProcess.Start(trainer.Program, arguments, trainer.WorkingDirectory, [.. environment, new(ProcessTree.TokenVariable, token)]);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            ProcessTree.End(token);
            log.Note($"cannot start {trainer.Program}: {e.Message}");
            return new AttemptResult(curve, null, clock.Elapsed.TotalSeconds, null, $"cannot start {trainer.Program}: {e.Message}", Retryable: false);
        }

        using (child)
        {
            var readers = new[]
            {
                ChildText.Reader(() => ReadStdout(child.StandardOutput), "stdout"),
                ChildText.Reader(() => ReadStderr(child.StandardError), "stderr"),
            };
            var ended = child.Wait(trainer.Timeout, stop, ct.WaitHandle);
            if (!ended && !ct.IsCancellationRequested && stopped is null)
            {
                Stop("timeout", $"timed out after {ChildText.Duration(trainer.Timeout!.Value)}");
            }

            // Ends the child if it has not ended, whatever it left running in its group if it has, and every process
            // it started anywhere (they carry its token); then the pipes close and the readers end.
            child.Stop();
            var left = ProcessTree.KillAll(token);
            ProcessTree.End(token);
            if (left.Count > 0)
            {
                log.Note($"processes {string.Join(", ", left)} the command started could not be stopped");
            }

            foreach (var reader in readers)
            {
                if (!reader.Join(Drain))
                {
                    // Something outside the attempt holds its output open: close the tool's ends, the readers stop.
                    child.CloseOutput();
                    reader.Join(Drain);
                }
            }

            lock (gate)
            {
                closed = true;
            }

            if (!ended && ct.IsCancellationRequested && stopped is null)
            {
                log.Note("stopped: the sweep was interrupted");
                throw new OperationCanceledException(ct);
            }

            var exit = child.ExitCode;
            var seconds = clock.Elapsed.TotalSeconds;
            log.Note(string.Create(CultureInfo.InvariantCulture, $"{(stopped is null ? "ended" : $"stopped ({stopped})")}: exit status {exit} after {seconds:F3} s"));
            if (stopped is null && exit != 0)
            {
                return new AttemptResult(curve, exit, seconds, null, $"the command exited with status {exit}", Retryable: true);
            }

            return new AttemptResult(curve, exit, seconds, stopped, error, Retryable: stopped == "timeout");
        }
    }

    public void Dispose() => stop.Dispose();

    /// <summary>Stops the command for <paramref name="reason"/>; the first reason is the one kept.</summary>
    private void Stop(string reason, string? message)
    {
        if (Interlocked.CompareExchange(ref stopped, reason, null) is null)
        {
            error = message;
            log.Note(message is null ? $"stopping: {reason}" : $"stopping: {message}");
            stop.Set();
        }
    }

    private void ReadStdout(Stream stream)
    {
        var lines = new LineSplitter(stream);
        var number = 0;
        while (lines.Next() is { } line)
        {
            var (text, cut) = line;
            number++;
            if (stopped is not null)
            {
                continue; // drained, not read: the run's fate is decided
            }

            if (!Protocol.IsProtocol(text))
            {
                Text("out", text, cut);
                continue;
            }

            try
            {
                if (cut)
                {
                    throw new ProtocolException($"longer than {LineSplitter.MaxLineBytes} bytes");
                }

                var parsed = Protocol.Parse(text, trainer.Metrics);
                lock (gate)
                {
                    if (closed)
                    {
                        return;
                    }

                    curve.Add(parsed);
                }

                if (curve.DivergedAt is { } step)
                {
                    Stop("diverged", null);
                    log.Note(string.Create(CultureInfo.InvariantCulture, $"diverged at step {step}: loss {curve.Losses[^1]:R}"));
                }
            }
            catch (ProtocolException e)
            {
                Stop("malformed output", $"stdout line {number}: {e.Message}: {ChildText.Shorten(text)}");
            }
        }
    }

    private void ReadStderr(Stream stream)
    {
        var lines = new LineSplitter(stream);
        while (lines.Next() is { } line)
        {
            var (text, cut) = line;
            if (stopped is null || stopped == "diverged")
            {
                Text("err", text, cut);
            }
        }
    }

    private void Text(string stream, string text, bool cut)
    {
        lock (gate)
        {
            if (closed)
            {
                return;
            }
        }

        if (!log.Child(stream, text, cut))
        {
            Stop("output limit", ChildText.OutputLimit);
        }
    }
}
