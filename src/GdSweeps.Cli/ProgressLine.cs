using System.Diagnostics;

namespace GdSweeps.Cli;

/// <summary>Shows sweep progress: a redrawn line on a terminal, an occasional plain line when output is redirected.</summary>
internal sealed class ProgressLine(TextWriter output, bool redirected)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan last = TimeSpan.Zero;
    private bool drawn;

    public void Report(long done, long total)
    {
        var now = clock.Elapsed;
        var interval = redirected ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(100);
        if (done < total && now - last < interval)
        {
            return;
        }

        if (done == total && !drawn)
        {
            return; // quick sweeps need no progress at all
        }

        last = now;
        var fraction = total == 0 ? 1 : (double)done / total;
        var eta = fraction > 0 ? TimeSpan.FromSeconds(now.TotalSeconds * (1 - fraction) / fraction) : TimeSpan.Zero;
        var text = $"{fraction,4:P0} {done}/{total} runs, {now.TotalSeconds:F1} s, about {eta.TotalSeconds:F0} s left";
        if (redirected)
        {
            output.WriteLine(text);
        }
        else
        {
            var bar = new string('#', (int)(fraction * 30)).PadRight(30);
            output.Write($"\r[{bar}] {text}   ");
        }

        drawn = true;
    }

    public void Finish()
    {
        if (drawn && !redirected)
        {
            output.WriteLine();
        }
    }
}
