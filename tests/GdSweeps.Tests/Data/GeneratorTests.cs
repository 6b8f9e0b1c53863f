using GdSweeps.Data;

namespace GdSweeps.Tests.Data;

[TestClass]
public sealed class GeneratorTests
{
    [TestMethod]
    public void Without_noise_y_is_a_times_x_plus_b_on_the_scaled_x()
    {
        var d = Generator.Generate("g", new XSource.Values([1, 2, 3]), scale: 100, a: 2, b: 1, noise: 0, seed: 0);

        CollectionAssert.AreEqual(new[] { 100.0, 200, 300 }, d.X);
        CollectionAssert.AreEqual(new[] { 201.0, 401, 601 }, d.Y);
    }

    [TestMethod]
    public void Draws_and_noise_come_from_the_seed_only()
    {
        var source = new XSource.Uniform(0, 10, 50);

        var a = Generator.Generate("g", source, 1, 2, 0, 0.5, seed: 3);
        var b = Generator.Generate("g", source, 1, 2, 0, 0.5, seed: 3);
        var c = Generator.Generate("g", source, 1, 2, 0, 0.5, seed: 4);

        CollectionAssert.AreEqual(a.X, b.X);
        CollectionAssert.AreEqual(a.Y, b.Y);
        Assert.AreEqual(a.Fingerprint, b.Fingerprint);
        Assert.AreNotEqual(a.Fingerprint, c.Fingerprint);
        Assert.IsTrue(a.X.All(v => v is >= 0 and < 10));
        var residual = a.X.Zip(a.Y, (x, y) => y - (2 * x)).ToArray();
        Assert.AreEqual(0.5, Math.Sqrt(residual.Average(r => r * r)), 0.2);
    }

    [TestMethod]
    public void The_fingerprint_depends_on_the_values_not_the_name()
    {
        Assert.AreEqual(new Dataset("a", [1, 2], [3, 4]).Fingerprint, new Dataset("b", [1, 2], [3, 4]).Fingerprint);
        Assert.AreNotEqual(new Dataset("a", [1, 2], [3, 4]).Fingerprint, new Dataset("a", [1, 2], [3, 5]).Fingerprint);
    }
}
