namespace GdSweeps.Analysis;

/// <summary>
/// One learning rate tried, in increasing order: whether it passed a test, and the slowest convergence there.
/// </summary>
/// <param name="Slowest">The most steps any run at this rate (on any dataset) took to converge; null unless every one
/// converged.</param>
internal readonly record struct RateResult(double Lr, bool Pass, int? Slowest = null);

/// <summary>A learning rate tried, whatever else is known of it: whether every run there converged.</summary>
internal interface IConvergedAt
{
    RateResult Converged { get; }
}

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
    /// <remarks>Read in place from what the caller holds (a group's rates, a transfer's), no copy made.</remarks>
    public static (double Low, double High)? ConvergedAround<T>(ReadOnlySpan<T> rates)
        where T : IConvergedAt
    {
        var fastest = -1;
        for (var i = 0; i < rates.Length; i++)
        {
            if (rates[i].Converged.Pass && (fastest < 0 || rates[i].Converged.Slowest < rates[fastest].Converged.Slowest))
            {
                fastest = i;
            }
        }

        return fastest < 0 ? null : Around(rates, fastest);
    }

    /// <summary>The run of consecutive passing rates that holds rate <paramref name="at"/> (which passes).</summary>
    private static (double Low, double High) Around<T>(ReadOnlySpan<T> rates, int at)
        where T : IConvergedAt
    {
        var (low, high) = (at, at);
        while (low > 0 && rates[low - 1].Converged.Pass)
        {
            low--;
        }

        while (high < rates.Length - 1 && rates[high + 1].Converged.Pass)
        {
            high++;
        }

        return (rates[low].Converged.Lr, rates[high].Converged.Lr);
    }
}
