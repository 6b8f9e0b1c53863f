namespace GdSweeps.Numerics;

/// <summary>Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method.</summary>
/// <remarks>Accurate to round-off for the few parameters of a regression; O(p^3) per sweep, a handful of
/// sweeps.</remarks>
internal static class SymmetricEigen
{
    /// <param name="matrix">Row-major p x p symmetric matrix; not modified.</param>
    /// <returns>Eigenvalues in descending order, and the matching eigenvectors as the columns of a row-major
    /// matrix.</returns>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int p)
    {
        var a = matrix.ToArray();
        var v = new double[p * p];
        for (var i = 0; i < p; i++)
        {
            v[(i * p) + i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, scale = 0;
            for (var i = 0; i < p; i++)
            {
                for (var j = 0; j < p; j++)
                {
                    var x = a[(i * p) + j] * a[(i * p) + j];
                    if (i != j)
                    {
                        off += x;
                    }

                    scale += x;
                }
            }

            if (off <= 1e-32 * scale)
            {
                break;
            }

            for (var i = 0; i < p - 1; i++)
            {
                for (var j = i + 1; j < p; j++)
                {
                    Rotate(a, v, p, i, j);
                }
            }
        }

        var order = Enumerable.Range(0, p).OrderByDescending(i => a[(i * p) + i]).ToArray();
        var values = order.Select(i => a[(i * p) + i]).ToArray();
        var vectors = new double[p * p];
        for (var k = 0; k < p; k++)
        {
            for (var r = 0; r < p; r++)
            {
                vectors[(r * p) + k] = v[(r * p) + order[k]];
            }
        }

        return (values, vectors);
    }

    private static void Rotate(double[] a, double[] v, int p, int i, int j)
    {
        var aij = a[(i * p) + j];
        if (aij == 0)
        {
            return;
        }

        var theta = (a[(j * p) + j] - a[(i * p) + i]) / (2 * aij);
        var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        if (theta == 0)
        {
            t = 1;
        }

        var c = 1 / Math.Sqrt((t * t) + 1);
        var s = t * c;
        for (var k = 0; k < p; k++)
        {
            var aki = a[(k * p) + i];
            var akj = a[(k * p) + j];
            a[(k * p) + i] = (c * aki) - (s * akj);
            a[(k * p) + j] = (s * aki) + (c * akj);
        }

        for (var k = 0; k < p; k++)
        {
            var aik = a[(i * p) + k];
            var ajk = a[(j * p) + k];
            a[(i * p) + k] = (c * aik) - (s * ajk);
            a[(j * p) + k] = (s * aik) + (c * ajk);
        }

        for (var k = 0; k < p; k++)
        {
            var vki = v[(k * p) + i];
            var vkj = v[(k * p) + j];
            v[(k * p) + i] = (c * vki) - (s * vkj);
            v[(k * p) + j] = (s * vki) + (c * vkj);
        }
    }
}
