using System.Globalization;
using System.Net;
using System.Text;

namespace GdSweeps.Reports;

/// <summary>
/// A minimal SVG writer: shapes and text in pixel coordinates, numbers with invariant culture and fixed precision.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder body = new();

    public Svg(double width, double height)
    {
        Width = width;
        Height = height;
    }

    public double Width { get; }

    /// <summary>The figure's height; a figure that grows as it is drawn sets it when done.</summary>
    public double Height { get; set; }

    public Svg Rect(double x, double y, double w, double h, string fill, string? title = null, string? stroke = null)
    {
        body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(w, 0))}\" height=\"{N(Math.Max(h, 0))}\" fill=\"{fill}\"{(stroke is null ? "" : $" stroke=\"{stroke}\"")}>");
        if (title is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        }

        body.Append("</rect>");
        return this;
    }

    public Svg Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        body.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>");
        return this;
    }

    public Svg Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 1.5, string? title = null)
    {
        var coordinates = string.Join(" ", points.Select(p => $"{N(p.X)},{N(p.Y)}"));
        body.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\">");
        if (title is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        }

        body.Append("</polyline>");
        return this;
    }

    public Svg Diamond(double x, double y, double r, string fill, string? title = null)
    {
        body.Append(CultureInfo.InvariantCulture, $"<path d=\"M{N(x)},{N(y - r)} L{N(x + r)},{N(y)} L{N(x)},{N(y + r)} L{N(x - r)},{N(y)} Z\" fill=\"{fill}\">");
        if (title is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        }

        body.Append("</path>");
        return this;
    }

    public Svg Text(double x, double y, string text, string anchor = "start", double size = 11, string fill = "#222", bool bold = false, double rotate = 0)
    {
        var turn = rotate == 0 ? "" : $" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"";
        body.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"{fill}\"{(bold ? " font-weight=\"bold\"" : "")}{turn}>{Escape(text)}</text>");
        return this;
    }

    /// <summary>
    /// One text of several lines (a wrapped label), the first line's baseline at <paramref name="y"/>; a CSS class
    /// names what it is.
    /// </summary>
    public Svg Lines(double x, double y, IReadOnlyList<string> lines, string anchor, double size, double lineHeight, string cssClass, bool bold = false)
    {
        body.Append(CultureInfo.InvariantCulture, $"<text class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"#222\"{(bold ? " font-weight=\"bold\"" : "")}>");
        for (var i = 0; i < lines.Count; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{N(x)}\" dy=\"{(i == 0 ? "0" : N(lineHeight))}\">{Escape(lines[i])}</tspan>");
        }

        body.Append("</text>");
        return this;
    }

    public string Render(string label) =>
        string.Create(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{Escape(label)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\" width=\"{N(Width)}\" height=\"{N(Height)}\" font-family=\"sans-serif\" style=\"max-width: 100%; height: auto\">{body}</svg>");

    public static string N(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>A log10 axis mapping values in [Min, Max] to pixels in [From, To].</summary>
internal readonly record struct LogAxis(double Min, double Max, double From, double To)
{
    public double Map(double v) => From + ((Math.Log10(v) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min)) * (To - From));

    /// <summary>Powers of ten within the range: a tick for each (at most the 631 decades doubles have, whatever the range).</summary>
    public IEnumerable<double> Decades()
    {
        var first = Math.Clamp(Math.Ceiling(Math.Log10(Min) - 1e-9), -323, 308);
        var last = Math.Clamp(Math.Floor(Math.Log10(Max) + 1e-9), -323, 308);
        for (var e = (int)first; e <= (int)last; e++)
        {
            yield return Math.Pow(10, e);
        }
    }

    /// <summary>
    /// Every how many decades a tick carries a label, so labels <paramref name="room"/> pixels wide (or tall) never
    /// touch.
    /// </summary>
    public int LabelEvery(double room)
    {
        var perDecade = Math.Abs(To - From) / Math.Max(Math.Log10(Max) - Math.Log10(Min), 1e-9);
        return Math.Max(1, (int)Math.Ceiling(room / perDecade));
    }

    /// <summary>
    /// Whether the tick at <paramref name="decade"/> carries a label, labelling every <paramref name="every"/>th decade
    /// from 10^0.
    /// </summary>
    public static bool Labelled(double decade, int every) => (int)Math.Round(Math.Log10(decade)) % every == 0;

    public static string Label(double v) => v.ToString("0.#E+0", CultureInfo.InvariantCulture);
}
