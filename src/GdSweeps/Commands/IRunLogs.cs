using GdSweeps.Grid;

namespace GdSweeps.Commands;

/// <summary>
/// Where a command run's log goes once the run is over: the results folder, through its checked writer.
/// </summary>
internal interface IRunLogs
{
    /// <summary>The log's name in the results folder, e.g. <c>logs/0123456789abcdef.log</c>.</summary>
    string NameOf(RunId run);

    /// <summary>Stores the log written at <paramref name="path"/> as run <paramref name="run"/>'s.</summary>
    void Store(RunId run, string path);
}
