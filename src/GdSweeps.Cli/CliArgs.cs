using System.Globalization;

namespace GdSweeps.Cli;

/// <summary>The parsed command line.</summary>
internal sealed record CliArgs
{
    public required string Command { get; init; }

    /// <summary>The config (run, validate) or results folder (report).</summary>
    public string? Target { get; init; }

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
        if (command is not ("run" or "validate" or "report" or "merge"))
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
                "--quiet" => result with { Quiet = true },
                "--verbose" => result with { Verbose = true },
                _ when arg.StartsWith('-') => throw new CliUsageException($"unknown option '{arg}' for '{command}'"),
                _ when result.Target is null => result with { Target = arg },
                _ => throw new CliUsageException($"unexpected argument '{arg}'"),
            };
        }

        return result.Target is null
            ? throw new CliUsageException(command is "report" or "merge" ? $"{command} needs a results folder" : $"{command} needs a config file")
            : result;
    }

    private static int ParsePositive(string text, string option, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max
            ? n
            : throw new CliUsageException($"{option} needs a whole number from 1 to {max}, got '{text}'");
}

/// <summary>The command line is malformed.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
