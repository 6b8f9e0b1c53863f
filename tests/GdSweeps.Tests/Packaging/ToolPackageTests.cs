using System.Diagnostics;
using System.Reflection;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Packaging;

/// <summary>
/// The .NET tool package that `make pack` writes to .build/packages installs as a user installs it (here into a
/// temporary tool path instead of --global) and the installed `gdsweeps` runs the seed config.
/// </summary>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed class ToolPackageTests
{
    private static string Packages => Path.Combine(Some.RepoRoot, ".build", "packages");

    /// <summary>The version every project here is built with (Directory.Build.props), without the commit.</summary>
    private static string Version =>
        typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    private static (int Code, string Output) Run(string file, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} {string.Join(' ', args)} did not finish in 3 minutes\n{stdout.Result}\n{stderr.Result}");
        }

        return (process.ExitCode, $"{file} {string.Join(' ', args)}\n{stdout.Result}\n{stderr.Result}");
    }

    [TestMethod]
    public void The_tool_package_installs_and_the_installed_command_runs_the_seed_config()
    {
        var package = Path.Combine(Packages, $"GdSweeps.{Version}.nupkg");
        var found = Directory.Exists(Packages) ? string.Join(", ", Directory.GetFiles(Packages, "*.nupkg").Select(Path.GetFileName)) : "";
        Assert.IsTrue(File.Exists(package), $"{package} is missing (found: {(found.Length == 0 ? "nothing" : found)}): run make pack (make test does it before the suite)");

        var work = Some.TempDir();
        var tools = Path.Combine(work, "tools");
        var install = Run("dotnet", work, "tool", "install", "GdSweeps", "--tool-path", tools, "--add-source", Packages, "--version", Version);
        Assert.AreEqual(0, install.Code, install.Output);
        var gdsweeps = Path.Combine(tools, "gdsweeps");
        Assert.IsTrue(File.Exists(gdsweeps), $"the install did not put the gdsweeps command in {tools}\n{install.Output}");

        var version = Run(gdsweeps, work, "--version");
        Assert.AreEqual(0, version.Code, version.Output);
        StringAssert.Matches(version.Output, new System.Text.RegularExpressions.Regex($@"\n{System.Text.RegularExpressions.Regex.Escape(Version)}\+[0-9a-f]{{7,40}}\n"),
            "the version and the commit it was built from");

        var output = Path.Combine(work, "seed");
        var sweep = Run(gdsweeps, Some.RepoRoot, "run", Path.Combine("configs", "seed.yaml"), "--out", output, "--quiet");
        Assert.AreEqual(0, sweep.Code, sweep.Output);
        var report = Path.Combine(output, "report.md");
        Assert.IsTrue(File.Exists(report), $"no report.md in {output}\n{sweep.Output}");
        StringAssert.Contains(File.ReadAllText(report), "-10001", "the seed's report shows the raw gradient at the start");
        Assert.IsNotEmpty(Directory.GetFiles(output, "*.parquet"), $"no Parquet file in {output}");
    }
}
