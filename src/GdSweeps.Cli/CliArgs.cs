using System.Globalization;

namespace GdSweeps.Cli;

/// <summary>The parsed command line.</summary>
internal sealed record CliArgs
{
    public required string Command { get; init; }

    /// <summary>The config (run, validate), results folder (report, merge, the first of compare) or name (init).</summary>
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

    public int? Threads { get; init; }

    public bool PerSample { get; init; }

    public bool Quiet { get; init; }

    public bool Verbose { get; init; }

    public bool DryRun { get; init; }

    public string? Shard { get; init; }

    public int? ShardCount { get; init; }

    public int? BatchSize { get; init; }

    public bool Yes { get; init; }

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
        if (command is not ("run" or "validate" or "report" or "merge" or "schema" or "init" or "compare"))
        {
            throw new CliUsageException($"unknown command '{command}'");
        }

        var result = new CliArgs { Command = command };
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new CliUsageException($"{arg} needs a value");
            result = arg switch
            {
                "--out" when command == "run" => result with { Out = Value() },
                "--threads" when command == "run" => result with { Threads = ParsePositive(Value(), arg, 1024) },
                "--shard" when command == "run" => result with { Shard = Value() },
                "--shard-count" when command == "run" => result with { ShardCount = ParsePositive(Value(), arg, 1_000_000) },
                "--batch-size" when command == "run" => result with { BatchSize = ParsePositive(Value(), arg, 1_000_000) },
                "--per-sample" when command == "run" => result with { PerSample = true },
                "--dry-run" when command == "run" => result with { DryRun = true },
                "--yes" when command == "run" => result with { Yes = true },
                "--set" when command is "run" or "validate" => result with { Sets = [.. result.Sets, Value()] },
                "--out" when command == "compare" => result with { Out = Value() },
                "--csv" when command == "init" => result with { Csv = Value() },
                "--x" when command == "init" => result with { XColumns = [.. result.XColumns, .. Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] },
                "--y" when command == "init" => result with { YColumn = Value() },
                "--quiet" => result with { Quiet = true },
                "--verbose" => result with { Verbose = true },
                _ when arg.StartsWith('-') => throw new CliUsageException($"unknown option '{arg}' for '{command}'"),
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
            _ when result.Target is null => throw new CliUsageException(command is "report" or "merge" ? $"{command} needs a results folder" : $"{command} needs a config file"),
            _ => result,
        };
    }

    /// <summary><c>--csv</c>, <c>--x</c> and <c>--y</c> come together: a CSV dataset needs its file and its columns.</summary>
    private static CliArgs CheckInit(CliArgs args) =>
        (args.Csv is null) == (args.XColumns.Count == 0) && (args.Csv is null) == (args.YColumn is null)
            ? args
            : throw new CliUsageException("init takes --csv FILE with --x COLUMN (one or more) and --y COLUMN, or none of them");

    private static int ParsePositive(string text, string option, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max
            ? n
            : throw new CliUsageException($"{option} needs a whole number from 1 to {max}, got '{text}'");
}

/// <summary>The command line is malformed.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
