using System.Collections.Concurrent;
using GdSweeps.Configs;

namespace GdSweeps.Commands;

/// <summary>
/// The workers of a serving trainer: at most one a slot, started when a run first needs one, handed out one run (or
/// batch) at a time, replaced when one is stopped or exits. Slot <c>s</c> has device <c>s mod devices</c>. A run of
/// failed workers with no run ended between them gives up: the sweep stops, saying why.
/// </summary>
internal sealed class WorkerPool(TrainerSpec trainer, Workspace workspace, int size, AttemptTokens? tokens, Action<string> giveUp) : IDisposable
{
    /// <summary>Workers that may fail in a row, each replaced, before the sweep stops.</summary>
    public const int FailuresInRow = 5;

    private readonly ConcurrentBag<Worker> idle = [];
    private readonly ConcurrentQueue<int> free = new(Enumerable.Range(0, size));
    private readonly ConcurrentDictionary<Worker, byte> all = new();
    private int failures;

    /// <summary>
    /// An idle worker, or a new one in a free slot; <paramref name="replaced"/> says why an idle one was not taken.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started.</exception>
    public Worker Take(out string? replaced)
    {
        replaced = null;
        while (idle.TryTake(out var worker))
        {
            if (worker.Alive && worker.Stray() is { } stray)
            {
                replaced = $"worker {worker.Slot} wrote a protocol line after its runs had ended ({ChildText.Shorten(stray)}); it was replaced";
            }
            else if (worker.Alive)
            {
                return worker;
            }

            Release(worker);
        }

        if (!free.TryDequeue(out var slot))
        {
            throw new InvalidOperationException("more workers asked for than slots"); // the trainer's slots prevent it
        }

        var device = trainer.Devices.Count > 0 ? trainer.Devices[slot % trainer.Devices.Count] : null;
        try
        {
            var started = Worker.Start(trainer, slot, device, RunVariables.WorkerEnvironment(workspace.WorkerFolder(slot), trainer, slot, device), tokens);
            all[started] = 0;
            return started;
        }
        catch
        {
            free.Enqueue(slot);
            throw;
        }
    }

    /// <summary>
    /// Takes back a worker after it served <paramref name="results"/>: kept when it is still running, else its slot
    /// freed; counts the workers that failed in a row.
    /// </summary>
    public void Return(Worker worker, IReadOnlyList<AttemptResult> results)
    {
        var failed = !worker.Alive && results.Any(r => r.Error is not null && r.Stopped is not "diverged");
        if (!failed)
        {
            Interlocked.Exchange(ref failures, 0);
        }
        else if (Interlocked.Increment(ref failures) >= FailuresInRow)
        {
            giveUp($"the trainer's worker failed {FailuresInRow} times in a row (last: {results.First(r => r.Error is not null).Error}); "
                + "the sweep stops rather than start it again and again: see the runs' logs in logs/, fix the worker and run the same command again");
        }

        if (worker.Alive)
        {
            idle.Add(worker);
        }
        else
        {
            Release(worker);
        }
    }

    /// <summary>A worker that ended after a start it could not finish: its slot is free again.</summary>
    private void Release(Worker worker)
    {
        if (all.TryRemove(worker, out _))
        {
            worker.Dispose();
            free.Enqueue(worker.Slot);
        }
    }

    /// <summary>Every worker retires: its stdin closed, then stopped with whatever it started.</summary>
    public void Dispose()
    {
        Parallel.ForEach(all.Keys, worker =>
        {
            worker.Retire();
            worker.Dispose();
        });
        all.Clear();
    }
}
