using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GdSweeps.Training;

/// <summary>
/// Mean squared error of <c>y = w*x</c> and its gradient, computed over every sample: the per-sample inner kernel.
/// </summary>
/// <remarks>
/// Pure and allocation-free. Per sample it does three fused multiply-adds (<c>r = w*x - y</c>, <c>loss += r*r</c>,
/// <c>grad += r*x</c>) in the widest vectors the CPU has, with four independent accumulators of each sum so the
/// FMA units are not left waiting on one dependency chain. The sums' order depends on the vector width, so the last
/// bits of a per-sample run can differ between CPUs (not between runs or thread counts on one machine).
/// </remarks>
internal static class LinearMse
{
    /// <summary>The loss and <paramref name="gradient"/> <c>dL/dw = (2/n) sum((w*x - y) * x)</c>.</summary>
    public static double LossAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double w, out double gradient)
    {
        var n = x.Length;
        if (y.Length != n)
        {
            throw new ArgumentException("x and y differ in length", nameof(y));
        }

        double loss, grad;
        int done;
        if (Vector512.IsHardwareAccelerated && n >= 32)
        {
            done = Sums512(x, y, w, out loss, out grad);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            done = Sums256(x, y, w, out loss, out grad);
        }
        else
        {
            (done, loss, grad) = (0, 0, 0);
        }

        if (Fma.IsSupported)
        {
            for (var i = done; i < n; i++)
            {
                var r = Math.FusedMultiplyAdd(w, x[i], -y[i]);
                loss = Math.FusedMultiplyAdd(r, r, loss);
                grad = Math.FusedMultiplyAdd(r, x[i], grad);
            }
        }
        else
        {
            // Without FMA instructions Math.FusedMultiplyAdd is emulated in software: round twice instead.
            for (var i = done; i < n; i++)
            {
                var r = (w * x[i]) - y[i];
                loss += r * r;
                grad += r * x[i];
            }
        }

        gradient = 2 * grad / n;
        return loss / n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Sums512(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double w, out double loss, out double grad)
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var wv = Vector512.Create(w);
        Vector512<double> l0 = default, l1 = default, l2 = default, l3 = default;
        Vector512<double> g0 = default, g1 = default, g2 = default, g3 = default;
        const int width = 8;
        nuint i = 0;
        var end = (nuint)(x.Length - (x.Length % (4 * width)));
        for (; i < end; i += 4 * width)
        {
            var x0 = Vector512.LoadUnsafe(ref xr, i);
            var x1 = Vector512.LoadUnsafe(ref xr, i + width);
            var x2 = Vector512.LoadUnsafe(ref xr, i + (2 * width));
            var x3 = Vector512.LoadUnsafe(ref xr, i + (3 * width));
            var r0 = Vector512.FusedMultiplyAdd(wv, x0, -Vector512.LoadUnsafe(ref yr, i));
            var r1 = Vector512.FusedMultiplyAdd(wv, x1, -Vector512.LoadUnsafe(ref yr, i + width));
            var r2 = Vector512.FusedMultiplyAdd(wv, x2, -Vector512.LoadUnsafe(ref yr, i + (2 * width)));
            var r3 = Vector512.FusedMultiplyAdd(wv, x3, -Vector512.LoadUnsafe(ref yr, i + (3 * width)));
            l0 = Vector512.FusedMultiplyAdd(r0, r0, l0);
            l1 = Vector512.FusedMultiplyAdd(r1, r1, l1);
            l2 = Vector512.FusedMultiplyAdd(r2, r2, l2);
            l3 = Vector512.FusedMultiplyAdd(r3, r3, l3);
            g0 = Vector512.FusedMultiplyAdd(r0, x0, g0);
            g1 = Vector512.FusedMultiplyAdd(r1, x1, g1);
            g2 = Vector512.FusedMultiplyAdd(r2, x2, g2);
            g3 = Vector512.FusedMultiplyAdd(r3, x3, g3);
        }

        loss = Vector512.Sum((l0 + l1) + (l2 + l3));
        grad = Vector512.Sum((g0 + g1) + (g2 + g3));
        return (int)end;
    }

    /// <summary>
    /// <c>a*b - c</c> in one instruction (vfmsub) where the CPU has it, rather than a negation and an FMA.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MultiplySubtract(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplySubtract(a, b, c) : Vector256.FusedMultiplyAdd(a, b, -c);

    /// <remarks>
    /// Three vectors a step: six accumulators, three residuals and three loads of x stay within AVX2's sixteen
    /// registers (four would spill), and nine FMAs a step outlast the four-cycle FMA latency of each accumulator.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Sums256(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double w, out double loss, out double grad)
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var wv = Vector256.Create(w);
        Vector256<double> l0 = default, l1 = default, l2 = default;
        Vector256<double> g0 = default, g1 = default, g2 = default;
        const int width = 4;
        nuint i = 0;
        var end = (nuint)(x.Length - (x.Length % (3 * width)));
        for (; i < end; i += 3 * width)
        {
            var x0 = Vector256.LoadUnsafe(ref xr, i);
            var x1 = Vector256.LoadUnsafe(ref xr, i + width);
            var x2 = Vector256.LoadUnsafe(ref xr, i + (2 * width));
            var r0 = MultiplySubtract(wv, x0, Vector256.LoadUnsafe(ref yr, i));
            var r1 = MultiplySubtract(wv, x1, Vector256.LoadUnsafe(ref yr, i + width));
            var r2 = MultiplySubtract(wv, x2, Vector256.LoadUnsafe(ref yr, i + (2 * width)));
            l0 = Vector256.FusedMultiplyAdd(r0, r0, l0);
            l1 = Vector256.FusedMultiplyAdd(r1, r1, l1);
            l2 = Vector256.FusedMultiplyAdd(r2, r2, l2);
            g0 = Vector256.FusedMultiplyAdd(r0, x0, g0);
            g1 = Vector256.FusedMultiplyAdd(r1, x1, g1);
            g2 = Vector256.FusedMultiplyAdd(r2, x2, g2);
        }

        loss = Vector256.Sum((l0 + l1) + l2);
        grad = Vector256.Sum((g0 + g1) + g2);
        return (int)end;
    }
}
