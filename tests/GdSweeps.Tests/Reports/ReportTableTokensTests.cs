using System.Net;
using GdSweeps.Reports;

namespace GdSweeps.Tests.Reports;

/// <summary>
/// A cell's words, each piece unbreakable and a comma a place to break, written into the page without a string per
/// piece: the same text as splitting, encoding and joining them.
/// </summary>
[TestClass]
public sealed class ReportTableTokensTests
{
    [TestMethod]
    [DataRow("")]
    [DataRow(" ")]
    [DataRow("lr")]
    [DataRow("stable for lr in [0.001, 0.5]; converged for lr in [0.01, 0.2]")]
    [DataRow("a,,b ,c,  d,")]
    [DataRow("x <y> & \"z\" 'q'")]
    [DataRow("température, Größe ≤ 2/λ, 100 µs")]
    [DataRow("emoji 😀,😀 tail")]
    public void Tokens_are_the_words_split_encoded_and_joined(string text)
    {
        var expected = string.Join(" ", text.Split(' ').Select(word =>
            string.Join(",<wbr>", word.Split(',').Select(piece => piece.Length == 0 ? "" : $"<span class=\"nw\">{WebUtility.HtmlEncode(piece)}</span>"))));

        Assert.AreEqual(expected, ReportTable.Tokens(text));
        Assert.AreEqual(WebUtility.HtmlEncode(text), ReportTable.AppendEncoded(new System.Text.StringBuilder(), text).ToString());
    }
}
