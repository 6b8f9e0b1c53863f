namespace GdSweeps.Running;

/// <summary>How a sweep is run: threads, the size of stored parts, and which shard of the grid.</summary>
/// <param name="Replace">The folder may hold another sweep (or files of none): delete what it holds first.</param>
/// <param name="Prune">Delete the stored runs the config no longer asks for (kept for reuse otherwise).</param>
internal sealed record RunOptions(int Threads, int? RunsPerPart = null, Shard? Shard = null, bool Replace = false, bool Prune = false);
