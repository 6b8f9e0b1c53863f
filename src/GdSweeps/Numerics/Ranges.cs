namespace GdSweeps.Numerics;

/// <summary>
/// Evenly spaced values, linear or logarithmic, computed as numpy's <c>linspace</c> and <c>logspace</c> do.
/// </summary>
internal static class Ranges
{
    public static double[] Linspace(double from, double to, int count)
    {
        if (count == 1)
        {
            return [from];
        }

        var values = new double[count];
        var step = (to - from) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            values[i] = from + (i * step);
        }

        values[^1] = to;
        return values;
    }

    /// <summary>
    /// <paramref name="count"/> values from <paramref name="from"/> to <paramref name="to"/>, evenly spaced in log10.
    /// </summary>
    public static double[] Logspace(double from, double to, int count)
    {
        var exponents = Linspace(Math.Log10(from), Math.Log10(to), count);
        return Array.ConvertAll(exponents, e => Math.Pow(10, e));
    }

    /// <summary>
    /// The values from <paramref name="from"/> upward, <paramref name="perDecade"/> to a factor of 10, up to and
    /// including <paramref name="to"/> (within rounding).
    /// </summary>
    public static double[] LogspacePerDecade(double from, double to, int perDecade)
    {
        var decades = Math.Log10(to) - Math.Log10(from);
        var count = (int)Math.Floor((decades * perDecade) + 1e-9) + 1;
        var start = Math.Log10(from);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Math.Pow(10, start + ((double)i / perDecade));
        }

        return values;
    }
}
