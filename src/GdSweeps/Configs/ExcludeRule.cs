namespace GdSweeps.Configs;

/// <summary>
/// Leaves out every run whose value on each named axis is one of the accepted ones (by index into the axis).
/// </summary>
/// <param name="Mark">Where the rule is written.</param>
internal sealed record ExcludeRule(IReadOnlyDictionary<string, bool[]> Accepted, SourceMark Mark);
