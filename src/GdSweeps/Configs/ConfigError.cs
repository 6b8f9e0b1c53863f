namespace GdSweeps.Configs;

/// <summary>One problem in a config or an input file, located by file, line, column and key.</summary>
public sealed record ConfigError(string File, long Line, long Column, string Key, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Key}: {Message}";
}
