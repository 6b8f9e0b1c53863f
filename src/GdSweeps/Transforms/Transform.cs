namespace GdSweeps.Transforms;

/// <summary>A preprocessing transform by name, fitted on one column of a dataset to give a <see cref="FittedTransform"/>.</summary>
public enum TransformKind
{
    None,
    Log1p,
    Standardize,
    MaxAbs,
    MinMax,
}

/// <summary>Names, parsing and fitting of the transforms.</summary>
public static class Transform
{
    public static IReadOnlyList<string> Names { get; } = ["none", "log1p", "standardize", "maxabs", "minmax"];

    public static bool TryParse(string name, out TransformKind kind)
    {
        var index = Names.ToList().IndexOf(name);
        kind = (TransformKind)Math.Max(index, 0);
        return index >= 0;
    }

    public static string Name(TransformKind kind) => Names[(int)kind];

    /// <summary>Fits <paramref name="kind"/> on <paramref name="values"/>; throws <see cref="ArgumentException"/> when it cannot apply.</summary>
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
