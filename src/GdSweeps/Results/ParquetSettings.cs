using Parquet;

namespace GdSweeps.Results;

/// <summary>The options every Parquet reader and writer of GdSweeps uses.</summary>
internal static class ParquetSettings
{
    /// <summary>
    /// Parquet.Net pools its buffers (up to 16 MB small and 64 MB large by default) and keeps them; a sweep of a
    /// million
    /// runs streams gigabytes through one reader or writer at a time, so pooled memory beyond a few megabytes is
    /// returned to the collector instead.
    /// </summary>
    public static ParquetOptions Options { get; } = Create();

    private static ParquetOptions Create()
    {
        var options = new ParquetOptions
        {
            MaximumSmallPoolFreeBytes = 2 * 1024 * 1024,
            MaximumLargePoolFreeBytes = 8 * 1024 * 1024,

            // Whether a column is worth a dictionary is judged from a sample, not by hashing every value (the default):
            // for the curves' 31 million doubles the full scan cost more than writing them.
            DictionaryEncodingSampleSize = 1024,
        };

        // A curve's doubles change slowly from row to row; split into byte streams (sign and exponent bytes together),
        // they compress by a fifth where whole doubles barely compress at all.
        foreach (var column in new[] { "loss", "gradient", "gradient_norm", "w" })
        {
            options.ColumnEncodingHints[column] = EncodingHint.ByteSplitStream;
        }

        return options;
    }
}
