namespace GdSweeps.Tests.Support;

/// <summary>
/// The test tiers. <c>make test</c> runs every test; <c>make check</c> (for use while working) runs the ones that start
/// no process: neither <c>gdsweeps</c> itself nor any other program (a shell, Python, Chromium, Slurm, the native build,
/// the tool package). A test that starts one carries <see cref="Process"/>.
/// </summary>
internal static class TestTiers
{
    public const string Process = "process";
}
