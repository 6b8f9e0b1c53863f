using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using GdSweeps.Analysis;
using GdSweeps.Commands;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Pipeline;
using GdSweeps.Plan;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Training;
using Serilog;
using Serilog.Events;

namespace GdSweeps.Cli;

/// <summary>
/// The <c>gdsweeps</c> command: parses arguments, sets up logging, wires the stages and maps errors to exit codes.
/// </summary>
internal static class Cli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
    public const int Terminated = 143;

    public static string Usage => CliOptions.Usage;

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
            Console.Out.WriteLine(SweepSession.Version);
            return Ok;
        }

        if (parsed.Command == "schema")
        {
            Console.Out.Write(ConfigSchema.Text());
            return Ok;
        }

        using var cancel = new CancellationTokenSource();
        var signal = Ok;
        void Stop(PosixSignalContext context)
        {
            if (signal != Ok)
            {
                // A second Ctrl-C: stop at once. What is stored is whole (files appear by rename); the rest reruns.
                Console.Error.WriteLine("gdsweeps: stopped at once; finished parts are stored, and running the same command again resumes.");
                Environment.Exit(context.Signal == PosixSignal.SIGTERM ? Terminated : Interrupted);
            }

            context.Cancel = true; // exit through the normal path, with the manifest written
            signal = context.Signal == PosixSignal.SIGTERM ? Terminated : Interrupted;
            cancel.Cancel();
        }

        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        try
        {
            return parsed.Command switch
            {
                "run" => await RunAsync(parsed, cancel.Token),
                "validate" => Validate(parsed, cancel.Token),
                "report" => await ReportAsync(parsed, cancel.Token),
                "merge" => await MergeAsync(parsed.Target!, cancel.Token),
                "init" => Init(parsed, cancel.Token),
                "compare" => await CompareAsync(parsed, cancel.Token),
                "export" => await ExportAsync(parsed, cancel.Token),
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
            // A sweep has said so in its log (and on stderr) before its log file closed.
            await Console.Error.WriteLineAsync("gdsweeps: interrupted; finished runs are stored, and running the same command again resumes.");
            return signal == Ok ? Interrupted : signal;
        }
        catch (StoreBusyException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return Failure;
        }
        catch (TrainerStoppedException e)
        {
            // Logged by the sweep, into its log too.
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return Failure;
        }
        catch (FolderTakenException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return BadInput;
        }
        catch (InvalidDataException e)
        {
            Log.Debug(e, "Damaged data");
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An expected failure (a full disk, a read-only folder): its message, and the trace only with --verbose.
            Log.Debug(e, "Cannot write the results");
            await Console.Error.WriteLineAsync($"gdsweeps: cannot write the results: {e.Message}");
            return Failure;
        }
#pragma warning disable CA1031 // the last resort: a bug is said plainly and logged, never an abort with a bare trace
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.Error(e, "Internal error");
            await Console.Error.WriteLineAsync(parsed.Verbose
                ? $"gdsweeps: internal error, a bug in GdSweeps; the stored runs are kept. The trace:\n{e}"
                : $"gdsweeps: internal error, a bug in GdSweeps ({e.GetType().Name}: {e.Message}); the stored runs are kept. "
                    + $"{(parsed.Command == "run" ? "The trace is in the folder's gdsweeps.log; " : "")}run the same command with --verbose to see it");
            return Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    private static int Validate(CliArgs args, CancellationToken ct)
    {
        Console.Out.Write(Describe.Text(new SweepGrid(SweepPlan.Load(args.Target!, args.Sets, ct))));
        return Ok;
    }

    private static int Init(CliArgs args, CancellationToken ct)
    {
        try
        {
            var csv = args.Csv is null ? null : new Starter.CsvSource(args.Csv, args.XColumns, args.YColumn!);
            var path = Starter.Write(args.Target, csv, ct);
            Console.Out.WriteLine($"wrote {path}; check it with: gdsweeps validate {path}; run it with: gdsweeps run {path}");
            return Ok;
        }
        catch (Starter.StarterException e)
        {
            Console.Error.WriteLine($"gdsweeps: init: {e.Message}");
            return BadInput;
        }
    }

    private static async Task<int> CompareAsync(CliArgs args, CancellationToken ct)
    {
        try
        {
            var outcome = await Compare.RunAsync(args.Target!, args.Other!, args.Out, ct, args.Ignore, args.Match);
            await Console.Out.WriteAsync(Compare.Text(outcome));
            await Console.Out.WriteLineAsync($"wrote {outcome.File} and {outcome.Page}");
            return Ok;
        }
        catch (Compare.CompareException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: compare: {e.Message}");
            return e.BadInput ? BadInput : Failure;
        }
    }

    private static async Task<int> ExportAsync(CliArgs args, CancellationToken ct)
    {
        try
        {
            if (args.Out is null)
            {
                await using var stdout = Console.OpenStandardOutput();
                var written = await Export.WriteAsync(args.Target!, args.Table, args.Format, stdout, ct);
                foreach (var note in written.Notes)
                {
                    await Console.Error.WriteLineAsync($"gdsweeps: export: note: {note}");
                }

                return Ok;
            }

            // Whole or not at all: a failed or interrupted export leaves no half file.
            var outcome = await WholeFile.WriteAsync(args.Out, file => Export.WriteAsync(args.Target!, args.Table, args.Format, file, ct));
            foreach (var note in outcome.Notes)
            {
                await Console.Error.WriteLineAsync($"gdsweeps: export: note: {note}");
            }

            await Console.Error.WriteLineAsync($"wrote {Plural.Of(outcome.Rows, "row")} of {args.Table} to {args.Out}"
                + (outcome.Complete ? "" : " (the sweep is not finished: the runs stored so far)"));
            return Ok;
        }
        catch (Export.ExportException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: export: {e.Message}");
            return e.BadInput ? BadInput : Failure;
        }
    }

    private static async Task<int> ReportAsync(CliArgs args, CancellationToken ct)
    {
        var directory = args.Target!;
        try
        {
            var finished = Rebuild.Finished(directory);
            if (finished && args.Out is null)
            {
                var reports = await Rebuild.ReportsAsync(directory, ct);
                await Console.Out.WriteLineAsync(reports.Markdown);
                return Ok;
            }

            // Running, interrupted, or shards not merged: what is stored so far; or a finished sweep's report to
            // --out: written nowhere in the folder.
            string markdown, html, what;
            if (finished)
            {
                (markdown, html) = await Rebuild.RenderFinishedAsync(directory, ct);
                what = "the report";
            }
            else
            {
                var (partial, page, selection) = await Rebuild.PartialAsync(directory, ct);
                foreach (var damaged in selection.Damaged)
                {
                    await Console.Error.WriteLineAsync($"gdsweeps: warning: {damaged}: its runs are left out of the report (the sweep's next run moves it aside and computes them again)");
                }

                (markdown, html, what) = (partial, page, $"the report of the {Plural.Of(selection.Stored, "run")} stored so far");
            }

            if (args.Out is null)
            {
                await Console.Out.WriteAsync(markdown);
                return Ok;
            }

            await WholeFile.WriteTextAsync(args.Out, args.Out.EndsWith(".html", StringComparison.OrdinalIgnoreCase) ? html : markdown, ct);
            await Console.Error.WriteLineAsync($"wrote {what} to {args.Out}");
            return Ok;
        }
        catch (Rebuild.ReportException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return e.BadInput ? BadInput : Failure;
        }
    }

    private static async Task<int> MergeAsync(string directory, CancellationToken ct)
    {
        try
        {
            var (reports, runs) = await Merge.RunAsync(directory, Environment.ProcessorCount, ct);
            await Console.Out.WriteLineAsync($"merged {runs} runs into {Path.Combine(directory, ResultFolder.RunsFolder)}; reports: {reports.Markdown}, {reports.Html}");
            return Ok;
        }
        catch (Merge.MergeException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return e.BadInput ? BadInput : Failure;
        }
    }

    private static async Task<int> RunAsync(CliArgs args, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var plan = SweepPlan.Load(args.Target!, args.Sets, ct);
        var grid = new SweepGrid(plan);
        if (args.DryRun)
        {
            Console.Out.Write(Describe.Text(grid, listRuns: 20));
            return Ok;
        }

        Shard? shard;
        try
        {
            shard = args.Shard is null ? null : Shard.Parse(args.Shard, Environment.GetEnvironmentVariable, args.ShardCount);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {e.Message}");
            return BadInput;
        }

        var config = plan.Config;
        var runCount = grid.Count;
        if (runCount == long.MaxValue)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {config.SourcePath}: the sweep has more than {long.MaxValue:E2} runs, more than any count holds; shrink its axes.");
            return BadInput;
        }

        if (runCount > config.MaxRuns && !args.Yes)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {config.SourcePath}: the sweep has {runCount} runs, more than max_runs = {config.MaxRuns}; run again with --yes to go ahead.");
            return BadInput;
        }

        if (args.PerSample && config.Trainer is not null)
        {
            await Console.Error.WriteLineAsync($"gdsweeps: {config.SourcePath}: --per-sample applies to the built-in models only; this config's runs are its trainer's command.");
            return BadInput;
        }

        if (args.PerSample)
        {
            plan = plan.With(c => c with { Kernel = KernelMode.PerSample });
        }

        var directory = args.Out ?? Path.Combine("results", config.Name);
        using var logFile = new LogFile();
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(args.Verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .WriteTo.Console(
                restrictedToMinimumLevel: args.Quiet ? LogEventLevel.Warning : LogEventLevel.Verbose,
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: CultureInfo.InvariantCulture)
            .WriteTo.Sink(logFile)
            .CreateLogger();

        var threads = args.Threads ?? SlurmCpus() ?? Environment.ProcessorCount;
        void Opened(ResultFolder folder)
        {
            logFile.Open(folder, shard is null ? "gdsweeps.log" : $"gdsweeps-{shard.Name}.log");
            Log.Debug("Process start to config loaded: {Ms} ms (since process start: {Total} ms)", started.ElapsedMilliseconds, (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds);
            foreach (var warning in Describe.Warnings(plan))
            {
                Log.Warning("{Warning}", warning);
            }

            var axes = string.Join(" x ", plan.Axes.All.Where(a => a.Count > 1).Select(a => $"{a.Count} {a.Name}"));
            Log.Information(
                "Sweep {Sweep}{Shard}: {Runs}{Axes} on {Threads} into {Directory}",
                config.Name, shard is null ? "" : $" {shard.Name}", Plural.Of(runCount, "run"), axes.Length == 0 ? "" : $" ({axes})",
                Plural.Of(threads, "thread"), directory);
        }

        var clock = Stopwatch.StartNew();
        var startup = DateTime.Now - Process.GetCurrentProcess().StartTime;
        var progress = args.Quiet ? null : new ProgressLine(Console.Error, Console.IsErrorRedirected, Environment.GetEnvironmentVariable("GDSWEEPS_PROGRESS_LOG") == "1");
        SweepSession.Outcome outcome;
        try
        {
            outcome = await SweepSession.RunAsync(
                plan, directory, new RunOptions(threads, args.RunsPerPart, shard, args.Replace, args.Prune, args.ReportEvery), progress is null ? null : progress.Report, ct, Opened);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            progress?.Finish();
            Log.Warning("Interrupted: finished runs are stored; run the same command again to resume");
            throw;
        }
        catch (TrainerStoppedException e)
        {
            progress?.Finish();
            Log.Error("{Reason}", e.Message);
            throw;
        }

        progress?.Finish();
        var totals = outcome.Totals;
        Log.Information(
            "{Runs} in {Seconds:F3} s: {Computed} computed ({SampleSteps} sample-steps), {Reused} already stored; {Statuses}",
            Plural.Of(totals.Runs, "run"), clock.Elapsed.TotalSeconds, totals.Computed, totals.SampleSteps, totals.Reused,
            string.Join(", ", outcome.Statuses.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value} {kv.Key.Name()}")));
        if (outcome.Reports is { } reports)
        {
            Log.Debug("{Stages}", Stages(startup, totals, reports, clock.Elapsed));
            Log.Information("Reports written to {Markdown} and {Html}", reports.Markdown, reports.Html);
        }
        else
        {
            Log.Information("Shard done; when every shard is, run: gdsweeps merge {Directory}", directory);
        }

        var failed = outcome.Statuses.GetValueOrDefault(RunStatus.Failed);
        if (failed > 0)
        {
            Log.Error("{Failed} failed; their errors are in the error column of runs/; rerunning retries them", Plural.Of(failed, "run"));
            return Failure;
        }

        return Ok;
    }

    /// <summary>
    /// Where the time went, per stage, in seconds and per run (compute and store are summed over threads).
    /// </summary>
    private static string Stages(TimeSpan startup, SweepTotals totals, Reports.ReportFiles reports, TimeSpan total)
    {
        var runs = Math.Max(1, totals.Runs);
        var rows = new (string Stage, TimeSpan Time)[]
        {
            ("start", startup), ("compute", totals.ComputeTime), ("store", totals.StoreTime), ("consolidate", TimeSpan.Zero),
            ("analysis", reports.AnalysisTime), ("reports", reports.ReportsTime), ("total (wall)", startup + total),
        };
        return "stages (compute and store summed over threads; nothing to consolidate: the parts are the table):\n"
            + string.Join("\n", rows.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"  {r.Stage,-13} {r.Time.TotalSeconds,9:F3} s {r.Time.TotalMicroseconds / runs,10:F3} us/run")));
    }

    /// <summary>The CPUs Slurm gave this task, so a sweep uses what it was allotted and no more.</summary>
    private static int? SlurmCpus() =>
        int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
