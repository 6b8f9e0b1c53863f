using System.Text.Json;
using System.Text.RegularExpressions;

namespace GdSweeps.Tests.Support;

/// <summary>
/// Lays a report out in headless Chromium at a given width and says what does not fit. The report has no scripts, so a
/// copy gets one that measures the page after layout and writes its findings into the DOM, read back with --dump-dom.
/// </summary>
internal static partial class ReportLayout
{
    /// <summary>
    /// Every element outside the figures whose content is wider than its box (scroll width above client width), except
    /// the boxes tables scroll in; a figure or word meant to stay whole that is split across lines; a table box wider
    /// than the page; a page that scrolls sideways; every SVG text whose
    /// bounding box leaves its figure; and every two SVG texts of a figure that overlap.
    /// </summary>
    private const string Script = """
        <script>
        (() => {
          const problems = [];
          const say = el => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className : ''} "${(el.textContent || '').trim().slice(0, 90)}"`;
          for (const el of document.body.querySelectorAll('*')) {
            if (el.closest('svg') || el.classList.contains('scroll') || el.tagName === 'SCRIPT') continue;
            if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) problems.push(`overflows its box by ${el.scrollWidth - el.clientWidth} px: ${say(el)}`);
          }
          for (const el of document.querySelectorAll('td.n, .nw')) {
            const range = document.createRange();
            range.selectNodeContents(el);
            if (range.getClientRects().length > 1) problems.push(`a figure or word is split across lines: ${say(el)}`);
          }
          const page = document.body.getBoundingClientRect();
          for (const box of document.querySelectorAll('.scroll')) {
            if (box.getBoundingClientRect().right > page.right + 1) problems.push(`a table's box is wider than the page: ${say(box)}`);
          }
          if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px`);
          for (const svg of document.querySelectorAll('svg')) {
            const frame = svg.getBoundingClientRect();
            const texts = [...svg.querySelectorAll('text')].map(t => ({ t, r: t.getBoundingClientRect() }));
            for (const { t, r } of texts) {
              if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5)
                problems.push(`text leaves its figure (${svg.getAttribute('aria-label')}): "${t.textContent}"`);
            }
            for (let i = 0; i < texts.length; i++)
              for (let j = i + 1; j < texts.length; j++) {
                const a = texts[i].r, b = texts[j].r;
                if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1)
                  problems.push(`texts overlap (${svg.getAttribute('aria-label')}): "${texts[i].t.textContent}" and "${texts[j].t.textContent}"`);
              }
          }
          const out = document.createElement('pre');
          out.id = 'layout-findings';
          out.textContent = JSON.stringify({ problems, height: document.documentElement.scrollHeight, svgs: document.querySelectorAll('svg').length });
          document.body.appendChild(out);
        })();
        </script>
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What the measuring script found.</summary>
    public sealed record Findings(List<string> Problems, int Height, int Svgs);

    public static Findings Measure(string htmlPath, int width)
    {
        var copy = Path.Combine(Path.GetDirectoryName(htmlPath)!, "layout-check.html");
        var html = File.ReadAllText(htmlPath);
        File.WriteAllText(copy, html.Replace("</body>", Script + "</body>", StringComparison.Ordinal));
        var (dom, log) = Chromium.Run(new Uri(copy).AbsoluteUri, "--dump-dom", "--virtual-time-budget=5000", $"--window-size={width},1000");
        var match = FindingsElement().Match(dom);
        Assert.IsTrue(match.Success, $"the measuring script did not report; chromium said:\n{log}");
        return JsonSerializer.Deserialize<Findings>(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value), Json)!;
    }

    /// <summary>A screenshot of the whole page at <paramref name="width"/>, as tall as the page.</summary>
    public static void Screenshot(string htmlPath, string png, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        Chromium.Run(new Uri(htmlPath).AbsoluteUri, $"--screenshot={png}", $"--window-size={width},{height}");
    }

    [GeneratedRegex("<pre id=\"layout-findings\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex FindingsElement();
}
