using System.Globalization;

namespace GdSweeps.Configs;

/// <summary>
/// Where a run's weights start: given (one value for all features, or one each), or Gaussian draws from the run's seed.
/// </summary>
internal sealed record InitSpec(double[]? Weights, double? RandomStd)
{
    public static InitSpec Scalar(double w) => new([w], null);

    public string Label => RandomStd is { } std
        ? string.Create(CultureInfo.InvariantCulture, $"normal(std={std:R})")
        : Weights!.Length == 1 ? Weights[0].ToString("R", CultureInfo.InvariantCulture)
        : "[" + string.Join(",", Weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>The single starting weight, when every weight starts at the same given value.</summary>
    public double? ScalarWeight => RandomStd is null && Weights!.Length == 1 ? Weights[0] : null;

    public bool Equals(InitSpec? other) =>
        other is not null && RandomStd == other.RandomStd && (Weights ?? []).AsSpan().SequenceEqual(other.Weights ?? []);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(RandomStd);
        foreach (var w in Weights ?? [])
        {
            hash.Add(w);
        }

        return hash.ToHashCode();
    }

    /// <summary>
    /// Fills the starting parameters: the weights, then <paramref name="bias"/> if the model has one.
    /// </summary>
    public void Fill(Span<double> theta, int features, int seed, double bias)
    {
        var random = RandomStd is null ? null : new Random(seed);
        for (var j = 0; j < features; j++)
        {
            theta[j] = random is not null ? RandomStd!.Value * Data.Generator.Gaussian(random) : Weights!.Length == 1 ? Weights[0] : Weights[j];
        }

        if (theta.Length > features)
        {
            theta[features] = bias;
        }
    }
}
