namespace GdSweeps.Running;

/// <summary>How a sweep is run: threads, the size of stored parts, and which shard of the grid.</summary>
/// <param name="Replace">The folder may hold another sweep (or files of none): delete what it holds first.</param>
/// <param name="Prune">Delete the stored runs the config no longer asks for (kept for reuse otherwise).</param>
/// <param name="ReportEvery">How often report.md and report.html are rewritten while the sweep runs (and at each
/// refinement round); zero for never (the command's default is 30 s).</param>
internal sealed record RunOptions(int Threads, int? RunsPerPart = null, Shard? Shard = null, bool Replace = false, bool Prune = false, TimeSpan ReportEvery = default);
