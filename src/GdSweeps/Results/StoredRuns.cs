using System.Globalization;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary>
/// The status of every stored run, by run id: compact (the id as a number, the status as one of the shared names),
/// so a million stored runs take a few tens of megabytes.
/// </summary>
public sealed class StoredRuns
{
    private readonly Dictionary<ulong, string> statuses = [];

    public int Count => statuses.Count;

    public static ulong Key(string runId) => ulong.Parse(runId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public bool ContainsKey(string runId) => statuses.ContainsKey(Key(runId));

    public bool TryGetValue(string runId, out string status) => statuses.TryGetValue(Key(runId), out status!);

    public string GetValueOrDefault(string runId, string fallback) => statuses.GetValueOrDefault(Key(runId), fallback);

    /// <summary>Records a status; a failed run gives way to a later result for the same id, never the reverse.</summary>
    public void Add(string runId, string status)
    {
        var key = Key(runId);
        if (!statuses.TryGetValue(key, out var earlier) || earlier == "failed")
        {
            statuses[key] = RunStatusNames.Shared(status);
        }
    }

    public string this[string runId]
    {
        get => statuses[Key(runId)];
        set => statuses[Key(runId)] = RunStatusNames.Shared(value);
    }
}
