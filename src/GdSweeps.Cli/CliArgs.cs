using System.Globalization;

namespace GdSweeps.Cli;

/// <summary>The parsed command line.</summary>
internal sealed record CliArgs
{
    public required string Command { get; init; }

    /// <summary>
    /// The config (run, validate), results folder (report, merge, the first of compare) or name (init).
    /// </summary>
    public string? Target { get; init; }

    /// <summary>The second results folder of <c>compare</c>.</summary>
    public string? Other { get; init; }

    /// <summary>Overrides of the config, <c>key=value</c>, in order (<c>--set</c>).</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    /// <summary>The CSV file <c>init</c> writes a dataset for, and its columns.</summary>
    public string? Csv { get; init; }

    public IReadOnlyList<string> XColumns { get; init; } = [];

    public string? YColumn { get; init; }

    public string? Out { get; init; }

    /// <summary>The keys <c>compare</c> pairs without (<c>--ignore</c>) or on alone (<c>--match</c>).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    public IReadOnlyList<string> Match { get; init; } = [];

    /// <summary>The table and format of <c>export</c>.</summary>
    public string Table { get; init; } = "runs";

    public string Format { get; init; } = "csv";

    /// <summary>How often a running sweep rewrites its reports (<c>--report-every</c>); zero for never.</summary>
    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(30);

    public int? Threads { get; init; }

    public bool PerSample { get; init; }

    public bool Quiet { get; init; }

    public bool Verbose { get; init; }

    public bool DryRun { get; init; }

    public string? Shard { get; init; }

    public int? ShardCount { get; init; }

    /// <summary>Runs per stored part (<c>--runs-per-part</c>); null to cut by work.</summary>
    public int? RunsPerPart { get; init; }

    public bool Yes { get; init; }

    /// <summary><c>--replace</c>: the folder may hold another sweep, or files of none; delete them first.</summary>
    public bool Replace { get; init; }

    /// <summary><c>--prune</c>: delete the stored runs the config no longer asks for.</summary>
    public bool Prune { get; init; }

    public static CliArgs Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args.Contains("-h") || args.Contains("--help") || args[0] == "help")
        {
            return new CliArgs { Command = "help" };
        }

        if (args[0] == "--version")
        {
            return new CliArgs { Command = "version" };
        }

        var command = args[0];
        if (!CliOptions.Commands.Contains(command))
        {
            throw new CliUsageException($"unknown command '{command}'");
        }

        var result = new CliArgs { Command = command };
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 >= args.Count ? throw new CliUsageException($"{arg} needs a value")
                : args[++i].Length == 0 ? throw new CliUsageException($"{arg} needs a value, got an empty one") : args[i];
            if (arg.Length == 0)
            {
                throw new CliUsageException($"argument {i} of '{command}' is empty");
            }

            if (arg.StartsWith('-') && arg.Length > 1 && CliOptions.Find(arg, command) is null)
            {
                throw new CliUsageException($"unknown option '{arg}' for '{command}'");
            }

            result = arg switch
            {
                CliOptions.Out => result with { Out = Value() },
                CliOptions.Threads => result with { Threads = ParsePositive(Value(), arg, 1024) },
                CliOptions.Shard => result with { Shard = Value() },
                CliOptions.ShardCount => result with { ShardCount = ParsePositive(Value(), arg, 1_000_000) },
                CliOptions.RunsPerPart => result with { RunsPerPart = ParsePositive(Value(), arg, 1_000_000) },
                CliOptions.PerSample => result with { PerSample = true },
                CliOptions.DryRun => result with { DryRun = true },
                CliOptions.Yes => result with { Yes = true },
                CliOptions.Replace => result with { Replace = true },
                CliOptions.Prune => result with { Prune = true },
                CliOptions.Set => result with { Sets = [.. result.Sets, Value()] },
                CliOptions.Csv => result with { Csv = Value() },
                CliOptions.X => result with { XColumns = [.. result.XColumns, .. Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] },
                CliOptions.Y => result with { YColumn = Value() },
                CliOptions.ReportEvery => result with { ReportEvery = ParseDuration(Value(), arg) },
                CliOptions.Ignore => result with { Ignore = [.. result.Ignore, .. Keys(Value(), arg)] },
                CliOptions.Match => result with { Match = [.. result.Match, .. Keys(Value(), arg)] },
                CliOptions.Table => result with { Table = OneOf(Value(), arg, Pipeline.Export.TableNames) },
                CliOptions.Format => result with { Format = OneOf(Value(), arg, Pipeline.Export.Formats) },
                CliOptions.Quiet => result with { Quiet = true },
                CliOptions.Verbose => result with { Verbose = true },
                _ when command != "schema" && result.Target is null => result with { Target = arg },
                _ when command == "compare" && result.Other is null => result with { Other = arg },
                _ => throw new CliUsageException($"unexpected argument '{arg}'"),
            };
        }

        return command switch
        {
            "schema" => result,
            "init" => CheckInit(result),
            "compare" when result.Other is null => throw new CliUsageException("compare needs two results folders: gdsweeps compare DIR_A DIR_B"),
            _ when result.Target is null => throw new CliUsageException(command is "report" or "merge" or "export" ? $"{command} needs a results folder" : $"{command} needs a config file"),
            _ => result,
        };
    }

    /// <summary>
    /// <c>--csv</c>, <c>--x</c> and <c>--y</c> come together: a CSV dataset needs its file and its columns.
    /// </summary>
    private static CliArgs CheckInit(CliArgs args) =>
        (args.Csv is null) == (args.XColumns.Count == 0) && (args.Csv is null) == (args.YColumn is null)
            ? args
            : throw new CliUsageException("init takes --csv FILE with --x COLUMN (one or more) and --y COLUMN, or none of them");

    /// <summary>A duration: a number and its unit (500ms, 2s, 5m or 5min, 1h), or 0 or off for never.</summary>
    private static TimeSpan ParseDuration(string text, string option)
    {
        if (text is "0" or "off" or "0ms" or "0s" or "0m" or "0min" or "0h")
        {
            return TimeSpan.Zero;
        }

        var digits = text.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var scale = text[digits..] switch
        {
            "ms" => 0.001,
            "s" => 1,
            "m" or "min" => 60,
            "h" => 3600,
            _ => double.NaN,
        };
        return digits > 0 && double.TryParse(text[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && !double.IsNaN(scale) && n * scale is > 0 and <= 86400 * 7
            && n * scale >= 0.1
            ? TimeSpan.FromSeconds(n * scale)
            : throw new CliUsageException($"{option} needs a duration from 100ms to a week, such as 500ms, 2s, 5m or 1h, or off; got '{text}'");
    }

    private static string[] Keys(string text, string option) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } keys ? keys
            : throw new CliUsageException($"{option} needs one or more keys, comma-separated, got '{text}'");

    private static string OneOf(string text, string option, IReadOnlyList<string> choices) =>
        choices.Contains(text) ? text : throw new CliUsageException($"{option} takes one of {string.Join(", ", choices)}, got '{text}'");

    private static int ParsePositive(string text, string option, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max
            ? n
            : throw new CliUsageException($"{option} needs a whole number from 1 to {max}, got '{text}'");
}

/// <summary>The command line is malformed.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
