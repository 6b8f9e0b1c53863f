namespace GdSweeps.Commands;

/// <summary>
/// The transformed data of one (dataset, transform) as a command reads it: CSV, Parquet, and the JSON that describes
/// both with the fitted transform's parameters.
/// </summary>
internal sealed record DataPaths(string Csv, string Parquet, string Meta);
