namespace GdSweeps.Configs;

/// <summary>One problem in a config or an input file, located by file, line, column and key.</summary>
/// <remarks>Line 0 marks a problem with the file as a whole (missing, unreadable, too large): it has no place inside.</remarks>
public sealed record ConfigError(string File, long Line, long Column, string Key, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Key}: {Message}"
        : Key.Length > 0 ? $"{File}: {Key}: {Message}"
        : $"{File}: {Message}";
}
