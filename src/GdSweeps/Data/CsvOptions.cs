namespace GdSweeps.Data;

/// <summary>How a CSV file is read: missing values, the size limit, and whether errors may quote the file.</summary>
internal sealed record CsvOptions
{
    /// <summary>1024 MiB: far above any data a sweep fits, low enough that a wrong path fails in seconds.</summary>
    public const long DefaultMaxBytes = 1024L << 20;

    /// <summary>Rows with a missing value are dropped; otherwise each missing value is an error.</summary>
    public bool DropMissing { get; init; }

    /// <summary>Reading stops with an error as soon as the file passes this many bytes.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>
    /// Errors may quote cells and header names. False for a file outside the config's folder: a config can name any
    /// file the user can read, and its errors must not show what is in it.
    /// </summary>
    public bool QuoteText { get; init; } = true;
}
