using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary>
/// The status of every stored run, by run id: a few bytes a run, so a million stored runs take tens of megabytes.
/// </summary>
internal sealed class StoredRuns
{
    private readonly Dictionary<RunId, RunStatus> statuses = [];

    public int Count => statuses.Count;

    public bool Contains(RunId id) => statuses.ContainsKey(id);

    public bool TryGetValue(RunId id, out RunStatus status) => statuses.TryGetValue(id, out status);

    /// <summary>Stored and not failed: a rerun need not compute it again.</summary>
    public bool IsDone(RunId id) => statuses.TryGetValue(id, out var status) && status != RunStatus.Failed;

    /// <summary>
    /// Records a status; a failed run gives way to a later result for the same id, never the reverse.
    /// </summary>
    public void Add(RunId id, RunStatus status)
    {
        if (!statuses.TryGetValue(id, out var earlier) || earlier == RunStatus.Failed)
        {
            statuses[id] = status;
        }
    }

    public RunStatus this[RunId id]
    {
        get => statuses[id];
        set => statuses[id] = value;
    }
}
