using System.Globalization;

namespace GdSweeps.Running;

/// <summary>
/// The K-th of N disjoint slices of a grid: every N-th batch (the batches a sweep stores as parts), so each shard
/// writes whole parts of the one table, and merged shards are the same bytes as one machine's sweep.
/// </summary>
internal sealed record Shard
{
    public Shard(int index, int count)
    {
        if (count < 1 || index < 1 || index > count)
        {
            throw new ArgumentException($"a shard is K/N with 1 <= K <= N, got {index}/{count}");
        }

        Index = index;
        Count = count;
    }

    /// <summary>K, from 1.</summary>
    public int Index { get; }

    /// <summary>N.</summary>
    public int Count { get; }

    /// <summary>A name safe in file names: <c>shard-K-of-N</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"shard-{Index}-of-{Count}");

    /// <summary>
    /// Whether batch <paramref name="batch"/> of the grid is this shard's: batches go round the shards in turn.
    /// </summary>
    public bool Owns(int batch) => batch % Count == Index - 1;

    /// <summary>
    /// Parses <c>K/N</c>, or with <c>auto</c> reads Slurm's array variables or Kubernetes' completion index.
    /// </summary>
    /// <exception cref="ArgumentException">The text or the environment does not give a valid shard.</exception>
    public static Shard Parse(string text, Func<string, string?> environment, int? count = null)
    {
        if (text == "auto")
        {
            if (environment("SLURM_ARRAY_TASK_ID") is { } task)
            {
                var min = int.Parse(environment("SLURM_ARRAY_TASK_MIN") ?? "0", CultureInfo.InvariantCulture);
                var n = environment("SLURM_ARRAY_TASK_COUNT") ?? throw new ArgumentException("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
                return new Shard(Int(task, "SLURM_ARRAY_TASK_ID") - min + 1, Int(n, "SLURM_ARRAY_TASK_COUNT"));
            }

            if (environment("JOB_COMPLETION_INDEX") is { } index)
            {
                var n = count ?? (environment("GDSWEEPS_SHARD_COUNT") is { } c ? Int(c, "GDSWEEPS_SHARD_COUNT")
                    : throw new ArgumentException("JOB_COMPLETION_INDEX is set; give the number of shards with --shard-count N or GDSWEEPS_SHARD_COUNT"));
                return new Shard(Int(index, "JOB_COMPLETION_INDEX") + 1, n);
            }

            throw new ArgumentException("--shard auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (Slurm) or JOB_COMPLETION_INDEX (Kubernetes)");
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new ArgumentException($"--shard needs K/N or auto, got '{text}'");
        }

        return new Shard(Int(text[..slash], "K"), Int(text[(slash + 1)..], "N"));
    }

    private static int Int(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ArgumentException($"{name} must be a whole number, got '{text}'");
}
