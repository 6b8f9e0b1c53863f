using GdSweeps.Configs;
using GdSweeps.Data;

namespace GdSweeps.Commands;

/// <summary>
/// Holds a command sweep's runs to the inputs their identity was made of: before and after every attempt it checks
/// that each of <c>trainer.inputs</c> is still the file the config was read with (its kernel stamp, and its SHA-256
/// whenever the stamp moved). A change stops the sweep: the attempts it touched are not stored under the old hash.
/// </summary>
internal sealed class InputGuard
{
    private readonly TrainerInput[] inputs;
    private readonly FileStamp?[] stamps;
    private readonly CancellationTokenSource stop;
    private readonly Lock gate = new();

    /// <param name="stop">Cancelled when an input changed: it stops the sweep.</param>
    public InputGuard(IReadOnlyList<TrainerInput> inputs, CancellationTokenSource stop)
    {
        this.inputs = [.. inputs];
        this.stop = stop;
        stamps = new FileStamp?[this.inputs.Length];
        Check();
    }

    /// <summary>Why the sweep was stopped: which input changed; null while none did.</summary>
    public string? Changed { get; private set; }

    /// <summary>Every input unchanged since its hash was taken; an input whose stamp moved is hashed again.</summary>
    /// <exception cref="OperationCanceledException">An input's contents are not the ones the runs' identity holds: the
    /// sweep is stopped (<see cref="Changed"/> says why), and this attempt dropped.</exception>
    public void Check()
    {
        lock (gate)
        {
            if (Changed is not null)
            {
                throw new OperationCanceledException(Changed, stop.Token);
            }

            for (var i = 0; i < inputs.Length; i++)
            {
                var stamp = FileKind.Stamp(inputs[i].Resolved);
                if (stamp is not null && stamp == stamps[i])
                {
                    continue;
                }

                var now = FileKind.Sha256(inputs[i].Resolved);
                if (now != inputs[i].Sha256)
                {
                    Changed = $"trainer input {inputs[i].Given} changed during the sweep (SHA-256 {Short(now)}, read as {Short(inputs[i].Sha256)} when the sweep started): "
                        + "the runs that may have used it are not stored; run the same command again to compute them with the file as it is then";
                    stop.Cancel();
                    throw new OperationCanceledException(Changed, stop.Token);
                }

                stamps[i] = stamp;
            }
        }
    }

    private static string Short(string? hash) => hash is null ? "unreadable" : hash[..12];
}
