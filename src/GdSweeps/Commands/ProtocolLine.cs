namespace GdSweeps.Commands;

/// <summary>
/// One line of the protocol a command prints on stdout: a step (<c>{"step": 3, "loss": 0.5, ...}</c>) or the final
/// line (<c>{"final": {"loss_original": 0.1, ...}}</c>).
/// </summary>
/// <param name="Step">The step the numbers were measured at (before its update); null on the final line.</param>
/// <param name="Loss">The full-batch loss at that step (NaN on the final line).</param>
/// <param name="Numbers">The line's other numbers by name (<c>grad_norm</c>, <c>sharpness</c>, declared metrics;
/// <c>loss_original</c> on the final line); null where written as null.</param>
internal sealed record ProtocolLine(int? Step, double Loss, IReadOnlyDictionary<string, double?> Numbers)
{
    public bool IsFinal => Step is null;

    public double? Get(string name) => Numbers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A line of stdout that looks like the protocol (it starts with <c>{</c>) but breaks it; the run fails with this
/// message.
/// </summary>
internal sealed class ProtocolException(string message) : Exception(message);

/// <summary>
/// A line of a worker: a protocol line (<see cref="Line"/>) of the run <see cref="Run"/> (null when a worker serving
/// one run at a time leaves it out), or the end of run <see cref="Run"/> (<see cref="End"/>), with the worker's reason
/// when it could not train it.
/// </summary>
internal sealed record WorkerLine(string? Run, ProtocolLine? Line, bool End, string? Error);
