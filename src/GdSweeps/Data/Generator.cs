namespace GdSweeps.Data;

/// <summary>Where a generated dataset's x values come from.</summary>
internal abstract record XSource
{
    /// <summary>Fixed values, e.g. a linear or log-spaced range.</summary>
    public sealed record Values(double[] X) : XSource;

    /// <summary><paramref name="Count"/> draws, uniform on [From, To).</summary>
    public sealed record Uniform(double From, double To, int Count) : XSource;

    /// <summary><paramref name="Count"/> Gaussian draws.</summary>
    public sealed record Normal(double Mean, double Std, int Count) : XSource;
}

/// <summary>
/// Makes <c>y = a*x*scale + b + noise</c> data from a seed, so a sweep can vary the scale of the data itself.
/// </summary>
internal static class Generator
{
    public static Dataset Generate(string name, XSource source, double scale, double a, double b, double noise, int seed)
    {
        var random = new Random(seed);
        var x = source switch
        {
            XSource.Values v => (double[])v.X.Clone(),
            XSource.Uniform u => Enumerable.Range(0, u.Count).Select(_ => u.From + ((u.To - u.From) * random.NextDouble())).ToArray(),
            XSource.Normal g => Enumerable.Range(0, g.Count).Select(_ => g.Mean + (g.Std * Gaussian(random))).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] *= scale;
            y[i] = (a * x[i]) + b + (noise > 0 ? noise * Gaussian(random) : 0);
        }

        return new Dataset(name, x, y);
    }

    /// <summary>A standard normal draw (Box-Muller), from the seeded generator only.</summary>
    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
