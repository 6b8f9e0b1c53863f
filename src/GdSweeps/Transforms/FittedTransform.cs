namespace GdSweeps.Transforms;

/// <summary>
/// A transform with its fitted parameters: <c>(f(v) - Shift) / Scale</c>, where f is log1p or the identity.
/// </summary>
internal readonly record struct FittedTransform(TransformKind Kind, double Shift, double Scale)
{
    public double Apply(double v) => Kind switch
    {
        TransformKind.Log1p => Log1p(v),
        TransformKind.Log => Math.Log(v),
        _ => (v - Shift) / Scale,
    };

    public double Inverse(double t) => Kind switch
    {
        TransformKind.Log1p => Expm1(t),
        TransformKind.Log => Math.Exp(t),
        _ => (t * Scale) + Shift,
    };

    public double[] Apply(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = Apply(values[i]);
        }

        return result;
    }

    /// <summary>log(1 + v), accurate for small v (Goldberg's correction; .NET's LogP1 is a plain Log(v + 1)).</summary>
    public static double Log1p(double v)
    {
        var u = 1.0 + v;
        return u == 1.0 ? v : double.IsPositiveInfinity(u) ? u : Math.Log(u) * v / (u - 1.0);
    }

    /// <summary>exp(t) - 1, accurate for small t (Kahan's correction).</summary>
    public static double Expm1(double t)
    {
        var u = Math.Exp(t);
        if (u == 1.0)
        {
            return t;
        }

        var um1 = u - 1.0;
        return um1 == -1.0 || double.IsPositiveInfinity(u) ? um1 : um1 * t / Math.Log(u);
    }
}
