using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>The axes whose values are plain numbers: learning rates, the starting bias, step budgets and seeds.</summary>
internal static class NumberAxes
{
    public static AxisKind<double> LearningRates { get; } = new(
        "learning_rates",
        (reader, node) =>
        {
            var values = reader.Numbers(node, "learning_rates");
            foreach (var lr in values.Where(v => v.Value <= 0).DistinctBy(v => v.Value))
            {
                reader.Error(lr.Node, lr.Key, $"every learning rate must be > 0, found {Values.R(lr.Value)}");
            }

            return [.. values.Where(v => v.Value > 0)];
        },
        Values.NumberPattern,
        Values.R);

    /// <summary>The starting bias of an affine model (a linear model has none and ignores it).</summary>
    public static AxisKind<double> B0 { get; } = new("b0", (reader, node) => reader.Numbers(node, "b0"), Values.NumberPattern, Values.R, defaults: [0.0]);

    public static AxisKind<int> Steps { get; } = new(
        "steps",
        (reader, node) => reader.Ints(node, "steps", 1, 100_000_000),
        IntPattern,
        Text,
        defaults: [1000]);

    /// <summary>A count <c>n</c> (seeds 0 to n-1) or a list of seeds.</summary>
    public static AxisKind<int> Seeds { get; } = new(
        "seeds",
        (reader, node) => node is YamlSequenceNode
            ? reader.Ints(node, "seeds", 0)
            : reader.Int(node, "seeds", 1, 1_000_000) is { } n ? [.. Enumerable.Range(0, n).Select(s => (s, node, "seeds"))] : [],
        IntPattern,
        Text,
        defaults: [0]);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static Func<int, bool>? IntPattern(NodeReader reader, YamlNode node, string key) =>
        reader.Int(node, key, int.MinValue) is { } wanted ? v => v == wanted : null;
}
