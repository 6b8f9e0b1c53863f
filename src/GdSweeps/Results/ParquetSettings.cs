using Parquet;

namespace GdSweeps.Results;

/// <summary>The options every Parquet.Net reader of GdSweeps uses (and the writer of a transformed dataset's file).</summary>
internal static class ParquetSettings
{
    /// <summary>
    /// Parquet.Net pools its buffers (up to 16 MB small and 64 MB large by default) and keeps them; reading a million
    /// runs streams gigabytes through one reader at a time, so pooled memory beyond a few megabytes is returned to the
    /// collector instead.
    /// </summary>
    public static ParquetOptions Options { get; } = Create();

    private static ParquetOptions Create() => new()
    {
        MaximumSmallPoolFreeBytes = 2 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 8 * 1024 * 1024,
    };
}
