using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace GdSweeps.Data;

/// <summary>
/// A named set of samples as given, before any transform: n rows of d features, a target, and a fingerprint of the
/// values.
/// </summary>
internal sealed class Dataset
{
    /// <param name="x">Features, row-major: sample i's feature j is <c>x[i * features + j]</c>.</param>
    public Dataset(string name, double[] x, int features, double[] y, IReadOnlyList<string>? featureNames = null)
    {
        if (features < 1 || x.Length != y.Length * features)
        {
            throw new ArgumentException($"x has {x.Length} values, which is not {y.Length} samples of {features} features", nameof(x));
        }

        Name = name;
        X = x;
        Features = features;
        Y = y;
        FeatureNames = featureNames ?? (features == 1 ? ["x"] : Enumerable.Range(0, features).Select(j => $"x{j}").ToArray());
        Fingerprint = ComputeFingerprint(x, features, y);
    }

    /// <summary>A one-feature dataset.</summary>
    public Dataset(string name, double[] x, double[] y)
        : this(name, x, 1, y)
    {
    }

    public string Name { get; }

    public double[] X { get; }

    public int Features { get; }

    public double[] Y { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public int Count => Y.Length;

    /// <summary>
    /// First 16 hex digits of SHA-256 over the shape and raw bits of x and y: equal data, equal fingerprint.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>Feature <paramref name="j"/> of every sample.</summary>
    public double[] Column(int j)
    {
        var column = new double[Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = X[(i * Features) + j];
        }

        return column;
    }

    private static string ComputeFingerprint(double[] x, int features, double[] y)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[16];
        BitConverter.TryWriteBytes(header, (long)y.Length);
        BitConverter.TryWriteBytes(header[8..], (long)features);
        hash.AppendData(header);
        hash.AppendData(MemoryMarshal.AsBytes(x.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(y.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
