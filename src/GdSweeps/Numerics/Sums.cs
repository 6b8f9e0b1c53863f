namespace GdSweeps.Numerics;

/// <summary>Compensated (Neumaier) sums, for the once-per-problem quantities that every run relies on.</summary>
internal static class Sums
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0, compensation = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var term = a[i] * b[i];
            var t = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }

        return sum + compensation;
    }
}
