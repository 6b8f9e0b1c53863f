using System.Security.Cryptography;

namespace GdSweeps.Data;

/// <summary>A named set of samples (x, y) as given, before any transform, with a fingerprint of its values.</summary>
public sealed class Dataset
{
    public Dataset(string name, double[] x, double[] y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"x has {x.Length} values but y has {y.Length}", nameof(y));
        }

        Name = name;
        X = x;
        Y = y;
        Fingerprint = ComputeFingerprint(x, y);
    }

    public string Name { get; }

    public double[] X { get; }

    public double[] Y { get; }

    public int Count => X.Length;

    /// <summary>First 16 hex digits of SHA-256 over the raw bits of x then y: equal data, equal fingerprint.</summary>
    public string Fingerprint { get; }

    private static string ComputeFingerprint(double[] x, double[] y)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header, (long)x.Length);
        hash.AppendData(header);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
