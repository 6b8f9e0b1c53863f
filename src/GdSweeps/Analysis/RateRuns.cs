namespace GdSweeps.Analysis;

/// <summary>
/// One learning rate tried, in increasing order: whether it passed a test, and the slowest convergence there.
/// </summary>
/// <param name="Slowest">The most steps any run at this rate (on any dataset) took to converge; null unless every one
/// converged.</param>
internal readonly record struct RateResult(double Lr, bool Pass, int? Slowest = null);

/// <summary>
/// Runs of consecutive learning rates (in the order tried) that pass a test: the ranges the reports state.
/// </summary>
internal static class RateRuns
{
    /// <summary>
    /// The converged range as every table states it: the run of consecutive rates, each converged on every run, around
    /// the fastest such rate (fewest steps of its slowest run, ties to the smaller rate); null when no rate converged.
    /// A converged rate beyond a rate that did not converge is not in it: the range never spans a gap.
    /// </summary>
    public static (double Low, double High)? ConvergedAround(IReadOnlyList<RateResult> rates)
    {
        var fastest = -1;
        for (var i = 0; i < rates.Count; i++)
        {
            if (rates[i].Pass && (fastest < 0 || rates[i].Slowest < rates[fastest].Slowest))
            {
                fastest = i;
            }
        }

        return fastest < 0 ? null : Around(rates, fastest);
    }

    /// <summary>The run of consecutive passing rates that holds rate <paramref name="at"/> (which passes).</summary>
    public static (double Low, double High) Around(IReadOnlyList<RateResult> rates, int at)
    {
        var (low, high) = (at, at);
        while (low > 0 && rates[low - 1].Pass)
        {
            low--;
        }

        while (high < rates.Count - 1 && rates[high + 1].Pass)
        {
            high++;
        }

        return (rates[low].Lr, rates[high].Lr);
    }

    /// <summary>
    /// The longest run of consecutive passing rates (the higher one on a tie); null when none passes.
    /// </summary>
    public static (double Low, double High)? Longest(IReadOnlyList<RateResult> rates)
    {
        (double Low, double High)? best = null;
        int bestLength = 0, start = -1;
        for (var i = 0; i <= rates.Count; i++)
        {
            if (i < rates.Count && rates[i].Pass)
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0 && i - start >= bestLength)
            {
                bestLength = i - start;
                best = (rates[start].Lr, rates[i - 1].Lr);
            }

            start = -1;
        }

        return best;
    }
}
