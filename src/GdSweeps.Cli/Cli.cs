using System.Diagnostics;
using System.Globalization;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Running;
using GdSweeps.Training;
using Serilog;
using Serilog.Events;

namespace GdSweeps.Cli;

/// <summary>The <c>gdsweeps</c> command: parses arguments, sets up logging, wires the stages and maps errors to exit codes.</summary>
internal static class Cli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    public const string Usage = """
        gdsweeps: find, by experiment, which learning rates keep gradient descent stable.

        Usage:
          gdsweeps run CONFIG [--out DIR] [--threads N] [--per-sample] [--dry-run] [--yes] [--quiet]
              Run every combination of the config's axes; write runs.parquet, curves.parquet and
              report.md to results/<name>/ (or to DIR itself with --out).
          gdsweeps validate CONFIG
              Check a config and print its axes and run count; runs nothing, writes nothing.
          gdsweeps report DIR
              Rebuild report.md from DIR/runs.parquet alone.

        Options:
          --out DIR       write the sweep's files into DIR (default: results/<name>)
          --threads N     worker threads (default: all cores)
          --per-sample    compute every step over the samples instead of the exact shortcut from sums
          --dry-run       check the config, print the axes and the first runs; run nothing
          --yes           run a sweep larger than the config's max_runs (default 1000000)
          --quiet         no progress line; warnings and errors only
          -h, --help      show this help
          --version       show the version

        Exit codes: 0 success, 1 failure, 2 bad config or input, 130 interrupted.
        """;

    public static async Task<int> MainAsync(string[] args)
    {
        CliArgs parsed;
        try
        {
            parsed = CliArgs.Parse(args);
        }
        catch (CliUsageException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}\nRun 'gdsweeps --help' for usage.");
            return BadInput;
        }

        if (parsed.Command == "help")
        {
            Console.Out.Write(Usage);
            return Ok;
        }

        if (parsed.Command == "version")
        {
            Console.Out.WriteLine(Version);
            return Ok;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return parsed.Command switch
            {
                "run" => await RunAsync(parsed, cancel.Token),
                "validate" => Validate(parsed),
                "report" => await Commands.ReportAsync(parsed.Target!, cancel.Token),
                _ => throw new UnreachableException(),
            };
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
            }

            await Console.Error.WriteLineAsync($"gdsweeps: {e.Errors.Count} error(s); nothing was run.");
            return BadInput;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("gdsweeps: interrupted; nothing was written.");
            return Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    public static string Version =>
        typeof(SweepRunner).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static int Validate(CliArgs args)
    {
        var config = ConfigLoader.Load(args.Target!);
        Console.Out.Write(Commands.Describe(config));
        return Ok;
    }

    private static async Task<int> RunAsync(CliArgs args, CancellationToken ct)
    {
        var config = ConfigLoader.Load(args.Target!);
        if (args.DryRun)
        {
            Console.Out.Write(Commands.Describe(config, listRuns: 20));
            return Ok;
        }

        var runCount = SweepGrid.Count(config);
        if (runCount > config.MaxRuns && !args.Yes)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {config.SourcePath}: the sweep has {runCount} runs, more than max_runs = {config.MaxRuns}; run again with --yes to go ahead.");
            return BadInput;
        }

        if (args.PerSample)
        {
            config = config with { Kernel = KernelMode.PerSample };
        }

        var directory = args.Out ?? Path.Combine("results", config.Name);
        Directory.CreateDirectory(directory);
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(
                restrictedToMinimumLevel: args.Quiet ? LogEventLevel.Warning : LogEventLevel.Information,
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: CultureInfo.InvariantCulture)
            .WriteTo.File(Path.Combine(directory, "gdsweeps.log"), formatProvider: CultureInfo.InvariantCulture)
            .CreateLogger();

        var threads = args.Threads ?? Environment.ProcessorCount;
        foreach (var warning in Commands.Warnings(config))
        {
            Log.Warning("{Warning}", warning);
        }

        Log.Information(
            "Sweep {Sweep}: {Runs} runs ({Axes}) on {Threads} threads into {Directory}",
            config.Name, runCount, string.Join(" x ", config.AxisLengths.Select((n, i) => (n, i)).Where(a => a.n > 1).Select(a => $"{a.n} {SweepConfig.AxisNames[a.i]}")),
            threads, directory);

        var clock = Stopwatch.StartNew();
        var progress = args.Quiet ? null : new ProgressLine(Console.Error, Console.IsErrorRedirected);
        var totals = await new SweepRunner(config, threads).RunAsync(directory, progress is null ? null : progress.Report, ct);
        progress?.Finish();
        Log.Information(
            "Ran {Runs} runs in {Seconds:F2} s: {Statuses}",
            totals.Runs, clock.Elapsed.TotalSeconds,
            string.Join(", ", Enum.GetValues<RunStatus>().Where(s => totals.Count(s) > 0).Select(s => $"{totals.Count(s)} {s.Name()}")));

        var report = await Commands.WriteReportAsync(directory, config.Name, ct);
        Log.Information("Report written to {Report}", report);
        if (totals.Count(RunStatus.Failed) > 0)
        {
            Log.Error("{Failed} runs failed; their errors are in the error column of runs.parquet", totals.Count(RunStatus.Failed));
            return Failure;
        }

        return Ok;
    }
}
