namespace GdSweeps.Numerics;

/// <summary>
/// Evenly spaced values, linear or logarithmic, computed as numpy's <c>linspace</c> and <c>logspace</c> do.
/// </summary>
internal static class Ranges
{
    public static double[] Linspace(double from, double to, int count) => [.. new RangeValues(RangeKind.Linear, from, to, count)];

    /// <summary>
    /// <paramref name="count"/> values from <paramref name="from"/> to <paramref name="to"/>, evenly spaced in log10.
    /// </summary>
    public static double[] Logspace(double from, double to, int count) => [.. new RangeValues(RangeKind.Log, from, to, count)];

    /// <summary>
    /// The values from <paramref name="from"/> upward, <paramref name="perDecade"/> to a factor of 10, up to and
    /// including <paramref name="to"/> (within rounding).
    /// </summary>
    public static double[] LogspacePerDecade(double from, double to, int perDecade) => [.. RangeValues.PerDecade(from, to, perDecade)];
}

/// <summary>How a <see cref="RangeValues"/> spaces its values.</summary>
internal enum RangeKind
{
    /// <summary>Evenly, as numpy's linspace.</summary>
    Linear,

    /// <summary>Evenly in log10, as numpy's logspace (the exponents a linspace).</summary>
    Log,

    /// <summary>A fixed number a decade from the first value up.</summary>
    PerDecade,
}

/// <summary>
/// The values of a range, each computed when asked for (a range of ten million values costs nothing until read), the
/// same bits as the arrays of <see cref="Ranges"/>, which are made from it. Monotone: equal values can only be
/// neighbours.
/// </summary>
internal sealed class RangeValues : IReadOnlyList<double>
{
    private readonly RangeKind kind;
    private readonly double first, step, last;

    /// <param name="from">The first value (its log10 for a log range is taken here).</param>
    public RangeValues(RangeKind kind, double from, double to, int count)
    {
        this.kind = kind;
        Count = count;
        (first, last) = kind == RangeKind.Linear ? (from, to) : (Math.Log10(from), Math.Log10(to));
        step = count == 1 ? 0 : (last - first) / (count - 1);
    }

    private RangeValues(double start, double perDecade, int count)
    {
        kind = RangeKind.PerDecade;
        (first, step, last, Count) = (start, perDecade, 0, count);
    }

    /// <summary>The values from <paramref name="from"/> upward, <paramref name="perDecade"/> to a factor of 10, up to and
    /// including <paramref name="to"/> (within rounding).</summary>
    public static RangeValues PerDecade(double from, double to, int perDecade)
    {
        var decades = Math.Log10(to) - Math.Log10(from);
        return new RangeValues(Math.Log10(from), perDecade, (int)Math.Floor((decades * perDecade) + 1e-9) + 1);
    }

    public int Count { get; }

    public double this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return kind switch
            {
                RangeKind.PerDecade => Math.Pow(10, first + ((double)index / step)),
                RangeKind.Linear => Spaced(index),
                _ => Math.Pow(10, Spaced(index)),
            };
        }
    }

    /// <summary>The linspace from first to last: the last value exactly, as numpy gives it.</summary>
    private double Spaced(int index) => Count == 1 ? first : index == Count - 1 ? last : first + (index * step);

    public IEnumerator<double> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
