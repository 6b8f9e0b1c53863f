using GdSweeps.Analysis;
using GdSweeps.Pipeline;
using GdSweeps.Reports;
using GdSweeps.Results;
using GdSweeps.Running;

namespace GdSweeps.Cli;

/// <summary>
/// One option of the command line: its name, its value's name (null for a flag), the commands that take it, and its
/// help.
/// </summary>
internal sealed record CliOption(string Name, string? Value, IReadOnlyList<string> Commands, string Help);

/// <summary>The options and the help text, from the same definitions the parser and the results folder use.</summary>
internal static class CliOptions
{
    public const string Out = "--out";
    public const string Threads = "--threads";
    public const string Shard = "--shard";
    public const string ShardCount = "--shard-count";
    public const string RunsPerPart = "--runs-per-part";
    public const string PerSample = "--per-sample";
    public const string DryRun = "--dry-run";
    public const string Yes = "--yes";
    public const string Replace = "--replace";
    public const string Prune = "--prune";
    public const string Set = "--set";
    public const string Csv = "--csv";
    public const string X = "--x";
    public const string Y = "--y";
    public const string Quiet = "--quiet";
    public const string Verbose = "--verbose";
    public const string Table = "--table";
    public const string ReportEvery = "--report-every";
    public const string Ignore = "--ignore";
    public const string Match = "--match";
    public const string Format = "--format";

    public static readonly string[] Commands = ["run", "validate", "report", "merge", "compare", "export", "init", "schema"];

    private static readonly string[] Every = Commands;

    /// <summary>Every option, in the order the help lists them.</summary>
    public static IReadOnlyList<CliOption> All { get; } =
    [
        new(Set, "KEY=VALUE", ["run", "validate"],
            "override a key of the config with a YAML value, as if the file said it (repeatable; a dotted key sets a nested one: refine.tolerance=0.05)"),
        new(Out, "DIR", ["run"], $"write the sweep's files into DIR (default: {Path.Combine("results", "<name>")})"),
        new(Out, "FILE", ["compare"], "write the comparison table to FILE (default: DIR_B/compare-<name of DIR_A>.parquet), and its page beside it (.html)"),
        new(Ignore, "KEY[,KEY]", ["compare"], "pair groups whose settings agree on every key but these (axes: w0, transforms, clip, ...); repeatable"),
        new(Match, "KEY[,KEY]", ["compare"], "pair groups on these keys alone, ignoring every other"),
        new(Out, "FILE", ["report"], "write the report to FILE (the HTML one when FILE ends in .html), nothing into DIR; of a sweep not finished, its report so far"),
        new(ReportEvery, "DURATION", ["run"], "rewrite report.md and report.html from the runs stored so far this often while the sweep runs, and at each refinement round (default 30s; 2s, 5m, 1h; off for never)"),
        new(Out, "FILE", ["export"], "write the table to FILE, whole or not at all (default: standard output)"),
        new(Table, "NAME", ["export"], $"the table to export: {string.Join(", ", Export.TableNames)} (default runs)"),
        new(Format, "NAME", ["export"], "csv (null as an empty field) or jsonl (one JSON object a row) (default csv)"),
        new(Threads, "N", ["run"], "worker threads (default: all cores, or SLURM_CPUS_PER_TASK under Slurm)"),
        new(Shard, "K/N", ["run"], "run only the K-th of N disjoint slices of the grid (1 <= K <= N); 'auto' takes K and N from SLURM_ARRAY_TASK_ID/_COUNT, or JOB_COMPLETION_INDEX"),
        new(ShardCount, "N", ["run"], "the N for --shard auto under Kubernetes (or GDSWEEPS_SHARD_COUNT)"),
        new(PerSample, null, ["run"], "compute every step over the samples instead of the exact shortcut from sums"),
        new(RunsPerPart, "N", ["run"],
            $"runs per stored part (default: cut by work, about {PartCutter.BatchWork:0e0} multiply-adds and at most {PartCutter.MaxBatch} runs a part; {PartCutter.CommandRunsPerPart} runs of a command trainer)"),
        new(DryRun, null, ["run"], "check the config, print the axes and the first runs; run nothing"),
        new(Yes, null, ["run"], "run a sweep larger than the config's max_runs (default 1000000)"),
        new(Replace, null, ["run"], "the results folder holds another sweep, or files of none: delete them and run there (refused otherwise, exit 2)"),
        new(Prune, null, ["run"], "delete the stored runs the config no longer asks for (otherwise kept in .gdsweeps/reuse, where a config asking for them again finds them)"),
        new(Csv, "FILE", ["init"], "a CSV file to write the starter's dataset from, with --x COLUMN (one or more; --x a,b names several) and --y COLUMN"),
        new(X, "COLUMN", ["init"], "a feature column of the --csv file"),
        new(Y, "COLUMN", ["init"], "the target column of the --csv file"),
        new(Quiet, null, Every, "no progress line; warnings and errors only"),
        new(Verbose, null, Every, "also log how long each stage took"),
    ];

    /// <summary>
    /// The option named <paramref name="name"/> that <paramref name="command"/> takes; null when it takes none.
    /// </summary>
    public static CliOption? Find(string name, string command) => All.FirstOrDefault(o => o.Name == name && o.Commands.Contains(command));

    /// <summary>The files a finished sweep's folder holds, as the code names them.</summary>
    public static IReadOnlyList<string> ResultFiles { get; } =
    [
        ResultFolder.RunsFolder + "/", ResultFolder.CurvesFolder + "/", SummaryFiles.SummaryFileName, SummaryFiles.TransferFileName,
        MarkdownReport.FileName, HtmlReport.FileName, Manifest.FileName,
    ];

    public static string Usage { get; } = $"""
        gdsweeps: find, by experiment, which learning rates keep gradient descent stable.

        Usage:
          gdsweeps run CONFIG [--set KEY=VALUE ...] [--out DIR] [--threads N] [--shard K/N|auto] [options]
              Run every combination of the config's axes not yet stored in the results folder
              (results/<name>/, or DIR itself with --out): each run a row of {ResultFiles[0]} (its curve in {ResultFiles[1]});
              then write {SummaryFiles.SummaryFileName}, {SummaryFiles.TransferFileName}, {MarkdownReport.FileName}, {HtmlReport.FileName}
              and {Manifest.FileName}. Rerunning resumes.
          gdsweeps validate CONFIG [--set KEY=VALUE ...]
              Check a config and print its axes and run count; runs nothing, writes nothing.
          gdsweeps merge DIR
              Check that the shards in DIR together hold every run of the config, then write the
              summaries and reports over them all. Names the missing shards or runs.
          gdsweeps report DIR [--out FILE]
              Rebuild {SummaryFiles.SummaryFileName}, {SummaryFiles.TransferFileName}, {MarkdownReport.FileName} and {HtmlReport.FileName} from DIR/{ResultFiles[0]} alone.
              Of a sweep still running, interrupted, or in shards not merged: print the report of
              the runs stored so far (or write it to FILE), writing nothing into DIR.
          gdsweeps compare DIR_A DIR_B [--ignore KEY[,KEY] | --match KEY[,KEY]] [--out FILE]
              Per setting of two complete sweeps (every axis value but the learning rate and seed,
              or all but the keys ignored), how the measured edge, the converged range and the best
              rate moved from A to B; writes the table to DIR_B/compare-<name of DIR_A>.parquet (or
              FILE) and a page with its figure beside it (.html).
          gdsweeps export DIR [--table runs|summary|transfer|curves] [--format csv|jsonl] [--out FILE]
              Write a table of DIR as CSV or JSON lines (for readers without Parquet), streamed in
              constant memory, columns as stored; an unfinished sweep's runs stored so far.
          gdsweeps init [NAME] [--csv FILE --x COLUMN [--x COLUMN ...] --y COLUMN]
              Write a commented starter config NAME.yaml (default study.yaml; never over an existing
              file) that validates and runs as written: on two small datasets, or on the given
              columns of a CSV file, its rates bracketing lr_crit.
          gdsweeps schema
              Print the JSON Schema of configs, for editors (schema/gdsweeps.schema.json is its output).

        Options:
        {string.Join("\n", All.Select(Line))}
          -h, --help          show this help
          --version           show the version

        Exit codes: 0 success; 1 failure (some runs failed, results cannot be written, the folder is busy,
        shards missing); 2 bad config or input; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).

        """;

    /// <summary>
    /// An option's lines of help: its name and value, then its text wrapped at 100 columns, with the commands that take
    /// it.
    /// </summary>
    private static string Line(CliOption o)
    {
        var head = $"  {o.Name}{(o.Value is null ? "" : " " + o.Value)}";
        var text = o.Help + (o.Commands.Count == Every.Length ? "" : $" [{string.Join(", ", o.Commands)}]");
        var lines = new List<string>();
        var line = head.PadRight(22);
        foreach (var word in text.Split(' '))
        {
            if (line.Length + word.Length + 1 > 110 && line.Trim().Length > 0 && line.Length > 22)
            {
                lines.Add(line.TrimEnd());
                line = new string(' ', 22);
            }

            line += (line.Length > 22 && !line.EndsWith(' ') ? " " : "") + word;
        }

        lines.Add(line.TrimEnd());
        return string.Join("\n", lines);
    }
}
