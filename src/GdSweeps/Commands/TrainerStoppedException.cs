namespace GdSweeps.Commands;

/// <summary>
/// The trainer stopped the sweep: an input is no longer the file the runs' identity was made of, or its workers
/// failed again and again. The runs in flight were not stored (as when interrupted); the message says why.
/// </summary>
internal sealed class TrainerStoppedException(string message) : Exception(message);
