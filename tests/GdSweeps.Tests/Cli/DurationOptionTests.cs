using GdSweeps.Cli;

namespace GdSweeps.Tests.Cli;

/// <summary><c>--report-every DURATION</c> as the parser reads it.</summary>
[TestClass]
public sealed class DurationOptionTests
{
    [TestMethod]
    [DataRow("2s", 2.0)]
    [DataRow("500ms", 0.5)]
    [DataRow("1.5s", 1.5)]
    [DataRow("5m", 300.0)]
    [DataRow("5min", 300.0)]
    [DataRow("1h", 3600.0)]
    [DataRow("off", 0.0)]
    [DataRow("0", 0.0)]
    [DataRow("0s", 0.0)]
    public void A_duration_reads_as_its_seconds_and_off_or_zero_as_never(string text, double seconds) =>
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), CliArgs.Parse(["run", "c.yaml", "--report-every", text]).ReportEvery);

    [TestMethod]
    public void The_default_is_every_30_s() => Assert.AreEqual(TimeSpan.FromSeconds(30), CliArgs.Parse(["run", "c.yaml"]).ReportEvery);

    [TestMethod]
    [DataRow("-1")]
    [DataRow("10x")]
    [DataRow("1e3s")]
    [DataRow("2")]
    [DataRow("50ms")]
    [DataRow("8d")]
    [DataRow("200h")]
    [DataRow(" 2s")]
    public void Anything_else_is_a_usage_error_saying_what_a_duration_is(string text)
    {
        var error = Assert.ThrowsExactly<CliUsageException>(() => CliArgs.Parse(["run", "c.yaml", "--report-every", text]));
        StringAssert.Contains(error.Message, "--report-every needs a duration from 100ms to a week");
    }
}
