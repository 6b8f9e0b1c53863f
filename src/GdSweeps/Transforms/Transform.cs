namespace GdSweeps.Transforms;

/// <summary>
/// A preprocessing transform by name, fitted on one column of a dataset to give a <see cref="FittedTransform"/>.
/// </summary>
internal enum TransformKind
{
    None,
    Log1p,
    Standardize,
    MaxAbs,
    MinMax,
    Log,
    Robust,
}

/// <summary>Names, parsing and fitting of the transforms.</summary>
internal static class Transform
{
    private static readonly string[] NameList = ["none", "log1p", "standardize", "maxabs", "minmax", "log", "robust"];

    public static IReadOnlyList<string> Names => NameList;

    public static bool TryParse(string name, out TransformKind kind)
    {
        var index = Array.IndexOf(NameList, name);
        kind = (TransformKind)Math.Max(index, 0);
        return index >= 0;
    }

    public static string Name(TransformKind kind) => Names[(int)kind];

    /// <summary>
    /// Fits <paramref name="kind"/> on <paramref name="values"/>; throws <see cref="ArgumentException"/> when it cannot
    /// apply.
    /// </summary>
    public static FittedTransform Fit(TransformKind kind, ReadOnlySpan<double> values)
    {
        switch (kind)
        {
            case TransformKind.None:
                return new FittedTransform(kind, 0, 1);
            case TransformKind.Log1p:
                foreach (var v in values)
                {
                    if (!(v > -1))
                    {
                        throw new ArgumentException($"log1p needs every value > -1, found {v}");
                    }
                }

                return new FittedTransform(kind, 0, 1);
            case TransformKind.Log:
                foreach (var v in values)
                {
                    if (!(v > 0))
                    {
                        throw new ArgumentException($"log needs every value > 0, found {v}");
                    }
                }

                return new FittedTransform(kind, 0, 1);
            case TransformKind.Robust:
                {
                    var sorted = values.ToArray();
                    Array.Sort(sorted);
                    var iqr = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
                    return iqr > 0
                        ? new FittedTransform(kind, Quantile(sorted, 0.5), iqr)
                        : throw new ArgumentException("robust needs a column whose interquartile range is not 0");
                }

            case TransformKind.Standardize:
                {
                    var mean = Mean(values);
                    var sq = 0.0;
                    foreach (var v in values)
                    {
                        sq += (v - mean) * (v - mean);
                    }

                    var std = Math.Sqrt(sq / values.Length);
                    return std > 0
                        ? new FittedTransform(kind, mean, std)
                        : throw new ArgumentException("standardize needs a column that is not constant (its std is 0)");
                }

            case TransformKind.MaxAbs:
                {
                    var max = 0.0;
                    foreach (var v in values)
                    {
                        max = Math.Max(max, Math.Abs(v));
                    }

                    return max > 0
                        ? new FittedTransform(kind, 0, max)
                        : throw new ArgumentException("maxabs needs a column with a non-zero value");
                }

            case TransformKind.MinMax:
                {
                    var min = double.PositiveInfinity;
                    var max = double.NegativeInfinity;
                    foreach (var v in values)
                    {
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }

                    return max > min
                        ? new FittedTransform(kind, min, max - min)
                        : throw new ArgumentException("minmax needs a column that is not constant");
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolated linearly (numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }
}
