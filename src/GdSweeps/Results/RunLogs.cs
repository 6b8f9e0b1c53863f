using GdSweeps.Commands;
using GdSweeps.Grid;

namespace GdSweeps.Results;

/// <summary>
/// The logs of a command trainer's runs, <c>logs/&lt;run_id&gt;.log</c>, stored whole and recorded like every file of
/// the folder.
/// </summary>
internal sealed class RunLogs(ResultFolder folder) : IRunLogs
{
    public const string Folder = "logs";

    public string NameOf(RunId run) => $"{Folder}/{run}.log";

    public void Store(RunId run, string path) =>
        folder.WriteAsync(NameOf(run), async s =>
        {
            await using var log = StoredFiles.OpenRead(path);
            await log.CopyToAsync(s);
        }, CancellationToken.None).GetAwaiter().GetResult();
}
