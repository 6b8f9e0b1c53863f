namespace GdSweeps.Configs;

/// <summary>One problem in a config or an input file, located by file, line, column and key.</summary>
/// <remarks>
/// Line 0 marks a problem with the file as a whole (missing, unreadable, too large): it has no place inside. A problem
/// in
/// a command-line override has no file either: it is located by the option that set it, <c>--set steps: ...</c>.
/// </remarks>
internal sealed record ConfigError(string File, long Line, long Column, string Key, string Message)
{
    /// <summary>
    /// An error about a value written at <paramref name="mark"/> of config <paramref name="file"/> (or set on the
    /// command line).
    /// </summary>
    public static ConfigError At(string file, SourceMark mark, string message) =>
        new(mark.File ?? file, mark.File is null ? mark.Line : 0, mark.File is null ? mark.Column : 0, mark.Key, message);

    /// <summary>The error on one line: a control character a value brought in (a newline in a name) is escaped.</summary>
    public override string ToString() => OneLine(
        File == ConfigOverrides.Option && Line == 0 ? $"{File} {Key}: {Message}"
        : Line > 0 ? $"{File}:{Line}:{Column}: {Key}: {Message}"
        : Key.Length > 0 ? $"{File}: {Key}: {Message}"
        : $"{File}: {Message}");

    private static string OneLine(string text) => !text.Any(char.IsControl) ? text
        : string.Concat(text.Select(c => c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when char.IsControl(c) => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        }));
}
