namespace GdSweeps.Configs;

/// <summary>
/// Where a value was written in the config: for errors found after reading, such as a transform that cannot fit.
/// </summary>
internal readonly record struct SourceMark(long Line, long Column, string Key)
{
    /// <summary>
    /// Where the value came from when not the config file: <c>--set</c> for a command-line override (which has no
    /// line).
    /// </summary>
    public string? File { get; init; }
}
