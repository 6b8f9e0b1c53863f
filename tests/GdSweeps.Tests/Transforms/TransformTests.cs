using GdSweeps.Transforms;

namespace GdSweeps.Tests.Transforms;

[TestClass]
public sealed class TransformTests
{
    private static double[] Apply(TransformKind kind, double[] values) => Transform.Fit(kind, values).Apply(values);

    [TestMethod]
    public void Standardize_uses_the_population_std()
    {
        // mean 5, population variance (9 + 1 + 1 + 9) / 4 = 5
        var result = Apply(TransformKind.Standardize, [2, 4, 6, 8]);

        CollectionAssert.AreEqual(new[] { -3 / Math.Sqrt(5), -1 / Math.Sqrt(5), 1 / Math.Sqrt(5), 3 / Math.Sqrt(5) }, result);
    }

    [TestMethod]
    public void Maxabs_divides_by_the_largest_magnitude()
    {
        CollectionAssert.AreEqual(new[] { -1.0, 0.5, 0.25 }, Apply(TransformKind.MaxAbs, [-4, 2, 1]));
    }

    [TestMethod]
    public void Minmax_maps_to_the_unit_interval()
    {
        CollectionAssert.AreEqual(new[] { 0.0, 0.25, 1.0 }, Apply(TransformKind.MinMax, [2, 4, 10]));
    }

    [TestMethod]
    public void Log1p_is_accurate_for_tiny_values()
    {
        var result = Apply(TransformKind.Log1p, [1e-18, 1, 10]);

        Assert.AreEqual(1e-18, result[0]);
        Assert.AreEqual(Math.Log(2), result[1], 1e-16);
        Assert.AreEqual(Math.Log(11), result[2], 4e-16);
    }

    [TestMethod]
    public void Every_transform_inverts_back_to_the_input()
    {
        double[] values = [0.5, 3, 1e4, 7];
        foreach (var kind in Enum.GetValues<TransformKind>())
        {
            var fit = Transform.Fit(kind, values);
            foreach (var v in values)
            {
                Assert.AreEqual(v, fit.Inverse(fit.Apply(v)), 1e-12 * v, $"{kind} at {v}");
            }
        }
    }

    [TestMethod]
    public void Log1p_of_a_value_at_or_below_minus_one_is_an_error()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Transform.Fit(TransformKind.Log1p, [1, -1]));
        StringAssert.Contains(e.Message, "> -1");
    }

    [TestMethod]
    public void Standardize_of_a_constant_column_is_an_error()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Transform.Fit(TransformKind.Standardize, [3, 3, 3]));
        StringAssert.Contains(e.Message, "constant");
    }
}

[TestClass]
public sealed class MoreTransformTests
{
    [TestMethod]
    public void Robust_centres_on_the_median_and_scales_by_the_interquartile_range()
    {
        // sorted [1, 2, 3, 4, 100]: median 3, q1 2, q3 4 (numpy's linear interpolation): IQR 2
        var fit = Transform.Fit(TransformKind.Robust, [100, 1, 2, 3, 4]);

        Assert.AreEqual(3.0, fit.Shift);
        Assert.AreEqual(2.0, fit.Scale);
        Assert.AreEqual(48.5, fit.Apply(100));
    }

    [TestMethod]
    public void Log_needs_positive_values()
    {
        Assert.AreEqual(Math.Log(5), Transform.Fit(TransformKind.Log, [5]).Apply(5));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Transform.Fit(TransformKind.Log, [1, 0])).Message, "> 0");
    }

    [TestMethod]
    public void A_pipeline_fits_each_step_on_the_output_of_the_one_before_and_inverts_in_reverse()
    {
        double[] values = [0, Math.E - 1, (Math.E * Math.E) - 1]; // log1p: 0, 1, 2 -> standardize: mean 1, std sqrt(2/3)

        var pipeline = FittedPipeline.Fit([TransformKind.Log1p, TransformKind.Standardize], values, out var result);

        Assert.AreEqual(-1 / Math.Sqrt(2.0 / 3), result[0], 1e-12);
        Assert.AreEqual(0, result[1], 1e-12);
        Assert.AreEqual(values[2], pipeline.Inverse(result[2]), 1e-12);
    }

    [TestMethod]
    public void Features_and_target_can_be_transformed_differently()
    {
        var spec = new TransformSpec([TransformKind.Log1p], [TransformKind.None]);

        Assert.AreEqual("x=log1p,y=none", spec.Label);
        Assert.AreEqual("log1p+standardize", TransformSpec.Both(TransformKind.Log1p, TransformKind.Standardize).Label);
    }
}
