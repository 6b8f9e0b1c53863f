using GdSweeps.Reports;

namespace GdSweeps.Tests.Reports;

[TestClass]
public sealed class TextWidthTests
{
    [TestMethod]
    public void A_long_label_wraps_between_its_parts_first_and_keeps_each_value_whole()
    {
        const string label = "line[scale=10000] / maxabs / adam(beta1=0.9,beta2=0.999,eps=1E-08) / step(every=250,gamma=0.5) / clip value 1";

        var lines = TextWidth.Wrap(label, 10, 260);

        Assert.IsGreaterThan(1, lines.Count);
        Assert.IsTrue(lines.All(l => TextWidth.Of(l, 10) <= 260), string.Join("\n", lines));
        Assert.AreEqual(label.Replace(" ", "", StringComparison.Ordinal), string.Concat(lines).Replace(" ", "", StringComparison.Ordinal), "nothing lost");
        Assert.IsTrue(lines.Any(l => l.EndsWith("clip value 1", StringComparison.Ordinal)), "a part that fits a line is not broken");
        Assert.IsTrue(lines.All(l => !l.EndsWith("E-", StringComparison.Ordinal)), "a number is never cut after its exponent's sign");
    }

    [TestMethod]
    public void A_piece_wider_than_a_line_by_itself_is_cut_by_characters_rather_than_clipped()
    {
        var lines = TextWidth.Wrap(new string('m', 40), 10, 100);

        Assert.IsGreaterThan(3, lines.Count);
        Assert.IsTrue(lines.All(l => TextWidth.Of(l, 10) <= 100));
        Assert.AreEqual(new string('m', 40), string.Concat(lines));
    }
}
