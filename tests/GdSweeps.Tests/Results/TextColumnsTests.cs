using System.Globalization;
using GdSweeps.Grid;
using GdSweeps.Results;
using GdSweeps.Training;

namespace GdSweeps.Tests.Results;

/// <summary>
/// The text columns formatted by hand on the hot path (a run id, one parameter's <c>final_params</c>) read exactly as
/// .NET's own formats write them.
/// </summary>
[TestClass]
public sealed class TextColumnsTests
{
    [TestMethod]
    public void A_run_id_is_its_sixteen_lowercase_hex_digits_as_x16_formats_them()
    {
        var random = new Random(7);
        ulong[] values = [0, 1, 0xf, 0x10, 0x0123456789abcdef, 0xfedcba9876543210, ulong.MaxValue, .. Enumerable.Range(0, 1000).Select(_ => (ulong)random.NextInt64() * 3)];
        foreach (var value in values)
        {
            var text = new RunId(value).ToString();
            Assert.AreEqual(value.ToString("x16", CultureInfo.InvariantCulture), text);
            Assert.IsTrue(RunId.TryParse(text, out var back) && back.Value == value, text);
        }
    }

    [TestMethod]
    public void One_parameters_final_params_is_the_round_trip_text_in_brackets()
    {
        var random = new Random(11);
        double[] values =
        [
            0, -0.0, 1, -1, 2, 0.1, 1.0 / 3, -4.025671276521639, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
            1e-308, 2.2250738585072014E-308, 1e21, 1e-7, 123456789012345680, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
            .. Enumerable.Range(0, 1000).Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64())),
        ];
        foreach (var value in values)
        {
            var text = BuiltinColumns.FinalParams.Get(new RunResult(null!, RunOutcome.Failed("x") with { FinalParameters = [value] }));
            Assert.AreEqual("[" + value.ToString("R", CultureInfo.InvariantCulture) + "]", text);
        }

        Assert.AreEqual("[1, -0.5]", BuiltinColumns.FinalParams.Get(new RunResult(null!, RunOutcome.Failed("x") with { FinalParameters = [1, -0.5] })));
        Assert.AreEqual("[]", BuiltinColumns.FinalParams.Get(new RunResult(null!, RunOutcome.Failed("x") with { FinalParameters = [] })));
    }
}
