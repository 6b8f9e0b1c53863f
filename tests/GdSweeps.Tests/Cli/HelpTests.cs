using System.Text.RegularExpressions;
using GdSweeps.Cli;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Cli;

/// <summary>
/// The help says only what is true: every option it names is one the parser takes, every file one a sweep writes.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed partial class HelpTests
{
    [TestMethod]
    public void Every_option_the_help_names_is_taken_by_the_parser_and_every_option_is_in_the_help()
    {
        var help = CliProcess.Run(Some.TempDir(), "--help");

        Assert.AreEqual(0, help.ExitCode);
        var named = Option().Matches(help.Stdout).Select(m => m.Value).ToHashSet();
        var known = CliOptions.All.Select(o => o.Name).Append("--help").Append("--version").ToHashSet();
        CollectionAssert.AreEquivalent(known.ToList(), named.ToList());
        foreach (var option in CliOptions.All)
        {
            // Taken by each command the help says, and refused by the others with a clear message.
            foreach (var command in CliOptions.Commands)
            {
                var args = new List<string> { command, "target", option.Name };
                args.AddRange(option.Value is null ? [] : [Sample(option)]);
                args.AddRange(command == "compare" ? ["other"] : []);
                var takes = CliOptions.All.Any(o => o.Name == option.Name && o.Commands.Contains(command));
                try
                {
                    CliArgs.Parse(command == "init" && option.Name is "--csv" or "--x" or "--y" ? ["init", "--csv", "a.csv", "--x", "a", "--y", "b"] : args);
                    Assert.IsTrue(takes, $"{command} took {option.Name}, which the help does not give it");
                }
                catch (CliUsageException e)
                {
                    Assert.IsFalse(takes && e.Message.Contains("unknown option", StringComparison.Ordinal), $"{command} refused {option.Name}: {e.Message}");
                }
            }
        }
    }

    [TestMethod]
    public void Every_file_the_help_names_is_one_a_sweep_writes()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "study.yaml"), Some.SeedYaml);
        Assert.AreEqual(0, CliProcess.Run(work, "run", "study.yaml", "--threads", "2", "--quiet").ExitCode);
        var help = CliProcess.Run(work, "--help").Stdout;
        var folder = Path.Combine(work, "results", "seed");

        var files = FileName().Matches(help).Select(m => m.Value).Distinct().ToList();

        Assert.IsGreaterThanOrEqualTo(7, files.Count, string.Join(", ", files));
        foreach (var file in files)
        {
            var exists = file switch
            {
                "schema/gdsweeps.schema.json" => System.IO.File.Exists(Path.Combine(Some.RepoRoot, file)),
                _ when file.EndsWith('/') => Directory.EnumerateFiles(Path.Combine(folder, file)).Any(),
                _ => System.IO.File.Exists(Path.Combine(folder, file)),
            };
            Assert.IsTrue(exists, $"the help names {file}, which a finished sweep does not have");
        }

        CollectionAssert.IsSubsetOf(CliOptions.ResultFiles.ToList(), files, "the help should name every file of a results folder");
    }

    private static string Sample(CliOption option) => option.Name switch
    {
        "--threads" or "--shard-count" or "--runs-per-part" => "2",
        "--shard" => "1/2",
        "--set" => "steps=10",
        _ => "x",
    };

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z-]*")]
    private static partial Regex Option();

    [GeneratedRegex(@"(?<![\w/<.-])(?:[a-z]+/(?![\w<])|[\w/.-]+\.(?:parquet|md|html|json))")]
    private static partial Regex FileName();
}
