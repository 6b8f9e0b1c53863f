using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GdSweeps.Training;

/// <summary>Mean squared error of <c>y = w*x</c> and its gradient, computed over every sample.</summary>
/// <remarks>Pure and allocation-free: the inner loop of every per-sample run.</remarks>
public static class LinearMse
{
    /// <summary>The loss <c>mean((w*x - y)^2)</c>.</summary>
    public static double Loss(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double w) =>
        LossAndGradient(x, y, w, out _);

    /// <summary>The loss and <paramref name="gradient"/> <c>dL/dw = (2/n) sum((w*x - y) * x)</c>.</summary>
    public static double LossAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double w, out double gradient)
    {
        var n = x.Length;
        var i = 0;
        double loss = 0, grad = 0;
        if (Vector.IsHardwareAccelerated && n >= 4 * Vector<double>.Count)
        {
            var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            var ys = MemoryMarshal.Cast<double, Vector<double>>(y);
            var wv = new Vector<double>(w);
            Vector<double> l0 = default, l1 = default, g0 = default, g1 = default;
            var v = 0;
            for (; v + 2 <= xs.Length; v += 2)
            {
                var r0 = (wv * xs[v]) - ys[v];
                var r1 = (wv * xs[v + 1]) - ys[v + 1];
                l0 += r0 * r0;
                l1 += r1 * r1;
                g0 += r0 * xs[v];
                g1 += r1 * xs[v + 1];
            }

            for (; v < xs.Length; v++)
            {
                var r = (wv * xs[v]) - ys[v];
                l0 += r * r;
                g0 += r * xs[v];
            }

            loss = Vector.Sum(l0 + l1);
            grad = Vector.Sum(g0 + g1);
            i = xs.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            var r = (w * x[i]) - y[i];
            loss += r * r;
            grad += r * x[i];
        }

        gradient = 2 * grad / n;
        return loss / n;
    }
}
