using System.Globalization;

namespace GdSweeps.Grid;

/// <summary>
/// 64 bits of SHA-256 over everything that defines a run (or a group of runs); stored as 16 hex digits.
/// </summary>
internal readonly record struct RunId(ulong Value)
{
    /// <summary>The 16 lowercase hex digits (as <c>x16</c> formats them, without parsing a format a run).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, Value);
        return Convert.ToHexStringLower(bytes);
    }

    public static RunId Parse(string text) => new(ulong.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));

    /// <summary>Parses 16 hex digits; false for anything else (a damaged file).</summary>
    public static bool TryParse(string? text, out RunId id)
    {
        var ok = text is { Length: 16 } && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value);
        id = ok ? new RunId(ulong.Parse(text!, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)) : default;
        return ok;
    }
}
