namespace GdSweeps.Reports;

/// <summary>
/// How wide a line of SVG text will be, estimated from DejaVu Sans's advance widths (the widest common sans-serif, and
/// Debian's default), so a figure can wrap its labels and size its margins before a browser lays it out. SVG text
/// never wraps by itself, so this is the only way to keep a label inside its figure; the Chromium layout test holds
/// the estimate to what Chromium draws.
/// </summary>
internal static class TextWidth
{
    /// <summary>
    /// Estimated width in pixels of <paramref name="text"/> at <paramref name="size"/> px, a few percent on the wide
    /// side.
    /// </summary>
    public static double Of(string text, double size, bool bold = false)
    {
        double em = 0;
        foreach (var c in text)
        {
            em += Em(c);
        }

        return em * size * (bold ? 1.12 : 1.0) * 1.04;
    }

    /// <summary>The advance of one character in em (DejaVu Sans Book, rounded up).</summary>
    private static double Em(char c) => c switch
    {
        ' ' or '.' or ',' or ':' or ';' or '!' or '|' or '\'' => 0.34,
        'i' or 'j' or 'l' => 0.28,
        'f' or 't' or 'r' or '(' or ')' or '[' or ']' or '/' or '-' => 0.42,
        'm' => 0.98,
        'w' => 0.82,
        '=' or '+' or '<' or '>' or '~' => 0.84,
        'M' or 'W' or '@' or '%' => 1.0,
        >= 'A' and <= 'Z' => 0.78,
        >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '*' or '#' or '$' or '&' or '?' => 0.64,
        _ => 1.0,
    };

    /// <summary>
    /// Breaks <paramref name="text"/> into lines no wider than <paramref name="width"/>: between a label's parts (after
    /// <c>" / "</c>) first, inside a part too wide for a line after its commas and spaces, and only inside a piece that
    /// is wider than a line by itself by characters.
    /// </summary>
    public static List<string> Wrap(string text, double size, double width, bool bold = false)
    {
        var parts = Pack(Pieces(text, " / "), size, width, bold);
        var lines = parts.SelectMany(p => Of(p, size, bold) <= width ? [p] : Pack(Pieces(p, ",", " "), size, width, bold));
        return [.. lines.SelectMany(l => Of(l, size, bold) <= width ? [l] : Split(l, size, width, bold))];
    }

    /// <summary>
    /// Greedy packing: each line takes pieces while it fits; a piece too wide alone gets a line of its own.
    /// </summary>
    private static List<string> Pack(IEnumerable<string> pieces, double size, double width, bool bold)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var piece in pieces)
        {
            if (line.Length > 0 && Of((line + piece).TrimEnd(), size, bold) > width)
            {
                lines.Add(line.TrimEnd());
                line = "";
            }

            line += piece;
        }

        lines.Add(line.TrimEnd());
        return lines;
    }

    /// <summary>The text cut after each <paramref name="breaks"/>, each piece keeping its break at its end.</summary>
    private static IEnumerable<string> Pieces(string text, params string[] breaks)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            foreach (var b in breaks)
            {
                if (string.CompareOrdinal(text, i, b, 0, b.Length) == 0)
                {
                    yield return text[start..(i + b.Length)];
                    start = i + b.Length;
                    i = start - 1;
                    break;
                }
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    /// <summary>
    /// A piece wider than a line by itself, cut by characters: the last resort, so it is never clipped.
    /// </summary>
    private static IEnumerable<string> Split(string text, double size, double width, bool bold)
    {
        var start = 0;
        for (var end = 1; end <= text.Length; end++)
        {
            if (end - start > 1 && Of(text[start..end], size, bold) > width)
            {
                yield return text[start..(end - 1)];
                start = end - 1;
            }
        }

        yield return text[start..];
    }
}
