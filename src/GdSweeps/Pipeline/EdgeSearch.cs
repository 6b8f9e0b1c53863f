namespace GdSweeps.Pipeline;

/// <summary>
/// The search for one group's stability edge: out from the grid by decades while every rate tried says the same, then
/// bisection in log space between the largest stable and the smallest unstable rate. Bounded on every path: at most
/// <see cref="MaxExtensions"/> decades beyond the grid's end and <see cref="MaxBisections"/> halvings, and it stops
/// rather than try a rate that is not a positive finite number or that equals an end of the bracket.
/// </summary>
internal sealed class EdgeSearch
{
    /// <summary>
    /// How far a search goes beyond the grid's end: up to 10^6 times its largest rate, or down to 10^-6 times its
    /// smallest.
    /// </summary>
    public const int MaxExtensions = 6;

    /// <summary>
    /// Enough halvings for any tolerance a config can ask of a decade (a tolerance of 1e-12 needs 42); the cap only
    /// guarantees the end, the tolerance or the bracket's last representable midpoint stops it first.
    /// </summary>
    public const int MaxBisections = 60;

    private const double Decade = 10;

    private int extensions;
    private int bisections;

    public EdgeSearch(GridIndex.Group group, double? stable, double? unstable)
    {
        Group = group;
        Stable = stable;
        Unstable = unstable;
    }

    public GridIndex.Group Group { get; }

    /// <summary>The largest rate found stable below <see cref="Unstable"/>; null while none is.</summary>
    public double? Stable { get; private set; }

    /// <summary>The smallest rate found unstable; null while none is.</summary>
    public double? Unstable { get; private set; }

    /// <summary>The rate to try next, or null when the search is over (within the tolerance, or at a bound).</summary>
    public double? Next(double tolerance)
    {
        double next;
        switch (Stable, Unstable)
        {
            case ({ } s, { } u):
                if (u / s <= 1 + tolerance || bisections >= MaxBisections)
                {
                    return null;
                }

                // sqrt(s) * sqrt(u), not sqrt(s * u): the product of two rates near the top of the doubles overflows.
                next = Math.Sqrt(s) * Math.Sqrt(u);
                return next > s && next < u ? next : null;
            case ({ } s, null):
                next = s * Decade;
                return extensions < MaxExtensions && double.IsFinite(next) ? next : null;
            case (null, { } u):
                next = u / Decade;
                return extensions < MaxExtensions && next > 0 && double.IsNormal(next) ? next : null;
            default:
                return null;
        }
    }

    /// <summary>Takes the verdict at the rate <see cref="Next"/> gave: stable (true) or unstable (false).</summary>
    public void Record(double rate, bool stable)
    {
        if (Stable is not null && Unstable is not null)
        {
            bisections++;
        }
        else
        {
            extensions++;
        }

        if (stable)
        {
            Stable = rate;
        }
        else
        {
            Unstable = rate;
        }
    }
}
