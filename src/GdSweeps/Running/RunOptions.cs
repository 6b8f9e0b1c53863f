using System.Buffers;
using System.Collections.Concurrent;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Training;

namespace GdSweeps.Running;

/// <summary>How a sweep is run: threads, the size of stored parts, and which shard of the grid.</summary>
internal sealed record RunOptions(int Threads, int? RunsPerPart = null, Shard? Shard = null);
