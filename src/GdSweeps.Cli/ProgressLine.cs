using System.Diagnostics;
using System.Globalization;
using GdSweeps.Running;

namespace GdSweeps.Cli;

/// <summary>
/// The progress of each phase (runs, refinement rounds, analysis, reports) on one line redrawn in place, or on a
/// terminal-less stderr a line every few seconds; the estimate of what is left is the phase's own pace so far.
/// </summary>
/// <param name="log">Also writes every update as <c>progress PHASE DONE TOTAL ELAPSED LEFT</c> (seconds since the phase
/// began), for measuring the estimates (<c>GDSWEEPS_PROGRESS_LOG=1</c>; see docs/benchmarks.md).</param>
internal sealed class ProgressLine(TextWriter output, bool redirected, bool log = false)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan last = TimeSpan.Zero, phaseStart = TimeSpan.Zero;
    private string? phase;
    private bool drawn;

    public void Report(Progress progress)
    {
        lock (clock)
        {
            var now = clock.Elapsed;
            if (progress.Phase != phase)
            {
                phase = progress.Phase;
                phaseStart = now;
                last = TimeSpan.Zero;
            }

            var elapsed = now - phaseStart;
            var fraction = progress.Total == 0 ? 1 : (double)progress.Done / progress.Total;
            var left = fraction > 0 ? elapsed.TotalSeconds * (1 - fraction) / fraction : double.NaN;
            if (log)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {progress.Phase.Replace(' ', '-')} {progress.Done} {progress.Total} {elapsed.TotalSeconds:F3} {(double.IsNaN(left) ? -1 : left):F3}"));
            }

            var interval = redirected ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(100);
            if ((progress.Done < progress.Total && now - last < interval) || (progress.Done == progress.Total && !drawn) || (now < TimeSpan.FromSeconds(0.5) && !drawn))
            {
                return; // quick phases need no progress at all
            }

            last = now;
            var estimate = double.IsNaN(left) ? "" : string.Create(CultureInfo.InvariantCulture, $", about {left:F0} s left");
            var text = string.Create(CultureInfo.InvariantCulture, $"{fraction,4:P0} {progress.Phase}: {progress.Done}/{progress.Total} {progress.Unit}, {elapsed.TotalSeconds:F1} s{estimate}");
            if (redirected)
            {
                output.WriteLine(text);
            }
            else
            {
                var bar = new string('#', (int)(fraction * 30)).PadRight(30);
                output.Write($"\r[{bar}] {text}".PadRight(100));
            }

            drawn = true;
        }
    }

    public void Finish()
    {
        if (drawn && !redirected)
        {
            output.WriteLine();
        }
    }
}
