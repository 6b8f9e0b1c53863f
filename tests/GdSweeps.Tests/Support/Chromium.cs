using System.Diagnostics;

namespace GdSweeps.Tests.Support;

/// <summary>
/// Headless Chromium (Debian's package), as the machine's probe runs it: no sandbox as root, no background networking.
/// </summary>
internal static class Chromium
{
    public static string? Path => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs Chromium on <paramref name="url"/> with <paramref name="action"/> (e.g. --dump-dom); returns stdout and
    /// stderr.
    /// </summary>
    public static (string Stdout, string Stderr) Run(string url, params string[] action)
    {
        var info = new ProcessStartInfo(Path ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] flags =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
            $"--user-data-dir={Some.TempDir()}",
        ];
        foreach (var arg in flags.Concat(action).Append(url))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 90 s");
        }

        return (stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Fails when Chromium is missing, naming the install command (make test installs it as root on Debian): never
    /// skipped.
    /// </summary>
    public static void Require()
    {
        if (Path is null)
        {
            Assert.Fail("chromium is not installed: run `apt-get install -y --no-install-recommends chromium` as root (make test does it when run as root on Debian)");
        }
    }
}
