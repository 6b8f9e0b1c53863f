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

    public bool DryRun { get; init; }

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
        if (command is not ("run" or "validate" or "report"))
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
                "--threads" when command == "run" => result with { Threads = ParseThreads(Value()) },
                "--per-sample" when command == "run" => result with { PerSample = true },
                "--dry-run" when command == "run" => result with { DryRun = true },
                "--yes" when command == "run" => result with { Yes = true },
                "--quiet" => result with { Quiet = true },
                _ when arg.StartsWith('-') => throw new CliUsageException($"unknown option '{arg}' for '{command}'"),
                _ when result.Target is null => result with { Target = arg },
                _ => throw new CliUsageException($"unexpected argument '{arg}'"),
            };
        }

        return result.Target is null
            ? throw new CliUsageException(command == "report" ? "report needs a results folder" : $"{command} needs a config file")
            : result;
    }

    private static int ParseThreads(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024
            ? n
            : throw new CliUsageException($"--threads needs a whole number from 1 to 1024, got '{text}'");
}

/// <summary>The command line is malformed.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
