using Parquet;

namespace GdSweeps.Results;

/// <summary>The options every Parquet reader and writer of GdSweeps uses.</summary>
internal static class ParquetSettings
{
    /// <summary>
    /// Parquet.Net pools its buffers (up to 16 MB small and 64 MB large by default) and keeps them; a sweep of a million
    /// runs streams gigabytes through one reader or writer at a time, so pooled memory beyond a few megabytes is
    /// returned to the collector instead.
    /// </summary>
    public static ParquetOptions Options { get; } = new()
    {
        MaximumSmallPoolFreeBytes = 2 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 8 * 1024 * 1024,
    };
}
