using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs.Axes;

/// <summary>
/// The axes whose values are plain numbers: learning rates, the starting bias, step budgets and seeds.
/// </summary>
internal static class NumberAxes
{
    public static AxisKind<double> LearningRates { get; } = new(
        "learning_rates",
        Values.NumbersSchema(Schemas.Positive(), "required: the step sizes (> 0, from 1e-300 to 1e300), usually a range: {logspace: {from: 1.0e-6, to: 1, per_decade: 4}}"),
        (reader, node) =>
        {
            var values = reader.Numbers(node, "learning_rates");
            if (values is RangeItems<double> range && Sane(range.Values[0]) && Sane(range.Values[^1]))
            {
                return values; // monotone: its ends within the limits, every value is
            }

            // One error a place: a range that reaches past the limits is said once, at the range.
            foreach (var lr in values.Where(v => !Sane(v.Value)).DistinctBy(v => (v.Node, v.Key)))
            {
                reader.Error(lr.Node, lr.Key, lr.Value <= 0
                    ? $"every learning rate must be > 0, found {Values.R(lr.Value)}"
                    : $"a learning rate must lie between {Values.R(MinRate)} and {Values.R(MaxRate)}, found {Values.R(lr.Value)}");
            }

            return [.. values.Where(v => Sane(v.Value))];
        },
        Values.NumberPattern,
        Values.R,
        new AxisStore([], [])); // free, and refinement adds rates beyond the axis: the runner stores each run's own as learning_rate

    /// <summary>The starting bias of an affine model (a linear model has none and ignores it).</summary>
    public static AxisKind<double> B0 { get; } = new(
        "b0",
        Values.NumbersSchema(Schemas.Number(), "the starting bias of an affine model (default 0)"),
        (reader, node) => reader.Numbers(node, "b0"),
        Values.NumberPattern,
        Values.R,
        new AxisStore([AxisColumns.Value<double, double>("b0", b => b, "the starting bias (only affine models have a bias to start)")], ["b0"], Named: true),
        defaults: [0.0],
        builtInOnly: true);

    public static AxisKind<int> Steps { get; } = new(
        "steps",
        Schemas.OneOrList(Schemas.Integer(1, 100_000_000), "the step budget (default 1000)"),
        (reader, node) => reader.Ints(node, "steps", 1, 100_000_000),
        IntPattern,
        Text,
        new AxisStore([AxisColumns.Value<int, int>("steps", s => s, "step budget")], ["steps"], Named: true),
        defaults: [1000]);

    /// <summary>A count <c>n</c> (seeds 0 to n-1) or a list of seeds.</summary>
    public static AxisKind<int> Seeds { get; } = new(
        "seeds",
        Schemas.Describe(
            Schemas.AnyOf(Schemas.Integer(1, 1_000_000), Schemas.List(Schemas.Integer(0))),
            "seeds for random starts and SGD's order: a count n (seeds 0 to n-1) or a list of seeds (default: seed 0)"),
        (reader, node) => node is YamlSequenceNode
            ? reader.Ints(node, "seeds", 0)
            : reader.Int(node, "seeds", 1, 1_000_000) is { } n ? [.. Enumerable.Range(0, n).Select(s => (s, node, "seeds"))] : [],
        IntPattern,
        Text,
        new AxisStore([AxisColumns.Value<int, int>("seed", s => s, "the run's seed (random start, SGD order)")], []),
        defaults: [0]);

    /// <summary>The smallest and largest learning rates: far beyond any a gradient step uses, and far from the doubles' ends, where a step or the report's axis would lose its meaning.</summary>
    public const double MinRate = 1e-300;

    public const double MaxRate = 1e300;

    private static bool Sane(double lr) => lr >= MinRate && lr <= MaxRate;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static Func<int, bool>? IntPattern(NodeReader reader, YamlNode node, string key) =>
        reader.Int(node, key, int.MinValue) is { } wanted ? v => v == wanted : null;
}
