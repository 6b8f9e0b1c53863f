using System.Globalization;

namespace GdSweeps.Analysis;

/// <summary>Counts in words with the noun's right number: <c>1 run</c>, <c>2 runs</c>.</summary>
internal static class Plural
{
    /// <summary>
    /// <paramref name="count"/> and <paramref name="noun"/>, with an s unless the count is one (every noun the tool
    /// counts takes an s).
    /// </summary>
    public static string Of(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}
