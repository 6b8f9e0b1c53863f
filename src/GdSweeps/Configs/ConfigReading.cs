namespace GdSweeps.Configs;

/// <summary>
/// A config read as far as it could be: the config (null when the text is not a YAML mapping), every error, and the
/// axes that had one. A plan still fits the problems of a config with errors when the axes they come from read
/// cleanly, so a transform that cannot apply is reported with the rest rather than after they are fixed.
/// </summary>
internal sealed record ConfigReading(SweepConfig? Partial, IReadOnlyList<ConfigError> Errors, IReadOnlySet<string> FailedAxes)
{
    /// <summary>The config when it has no error.</summary>
    /// <exception cref="ConfigException">Listing every error.</exception>
    public SweepConfig Valid() => Errors.Count == 0 && Partial is not null ? Partial : throw new ConfigException(Errors);

    /// <summary>Whether every one of <paramref name="axes"/> was read without an error.</summary>
    public bool ReadCleanly(params string[] axes) => Partial is not null && !axes.Any(FailedAxes.Contains);
}
