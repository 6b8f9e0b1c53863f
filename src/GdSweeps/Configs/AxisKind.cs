using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>
/// What an axis is, whatever its values: its YAML key, how it is read, its JSON Schema, and how an <c>exclude</c> rule
/// names its values.
/// </summary>
internal abstract class AxisKind(string name, bool required, JsonObject schema, AxisStore store, bool builtInOnly)
{
    /// <summary>The YAML key, the axis's name in <c>zip</c> and <c>exclude</c>.</summary>
    public string Name { get; } = name;

    /// <summary>A config must give this axis; the others have a default.</summary>
    public bool Required { get; } = required;

    /// <summary>
    /// The JSON Schema of the values the reader accepts (a copy): the config schema's entry for this key.
    /// </summary>
    public JsonNode Schema => schema.DeepClone();

    /// <summary>What the axis stores of its values and how it names a group.</summary>
    public AxisStore Store { get; } = store;

    /// <summary>
    /// Varied within a group (seeds, learning rates): a stable range is measured over it, so it names no group.
    /// </summary>
    public bool Free => Store.Setting.Count == 0;

    /// <summary>
    /// Read by the built-in models only: an error beside a command trainer, and no column or setting of its sweeps.
    /// </summary>
    public bool BuiltInOnly { get; } = builtInOnly;

    /// <summary>
    /// Reads the axis from <paramref name="node"/>, or its default when the config leaves it out (null).
    /// </summary>
    internal abstract IAxis Read(NodeReader reader, YamlNode? node, SourceMark root);

    /// <summary>
    /// Which values of <paramref name="axis"/> the <c>exclude</c> value <paramref name="pattern"/> names; null (with an
    /// error) when it is not a value of this axis.
    /// </summary>
    internal abstract bool[]? Select(NodeReader reader, IAxis axis, YamlNode pattern, string key);
}

/// <summary>An axis kind whose values are <typeparamref name="T"/>.</summary>
internal sealed class AxisKind<T> : AxisKind
{
    private readonly Func<NodeReader, YamlNode, IReadOnlyList<(T Value, YamlNode Node, string Key)>> read;
    private readonly Func<NodeReader, YamlNode, string, Func<T, bool>?> pattern;
    private readonly IReadOnlyList<T> defaults;
    private readonly Func<T, string> label;
    private readonly Func<T, string> key;

    /// <param name="schema">The JSON Schema of what <paramref name="read"/> accepts, with a description: how editors
    /// complete and check the key.</param>
    /// <param name="read">Reads every value, with the node and key of each (for errors found later).</param>
    /// <param name="pattern">Reads one value of an <c>exclude</c> rule into a test on this axis's values; null (with an
    /// error) when it cannot be one.</param>
    /// <param name="label">How a value reads in listings.</param>
    /// <param name="key">Everything about a value that can change a stored number or label; the label when
    /// null.</param>
    /// <param name="store">What the axis stores of its values, and how it names a group.</param>
    /// <param name="defaults">The values when the config leaves the axis out; null makes the axis required.</param>
    /// <param name="builtInOnly">Read by the built-in models only (see <see cref="AxisKind.BuiltInOnly"/>).</param>
    internal AxisKind(
        string name,
        JsonObject schema,
        Func<NodeReader, YamlNode, IReadOnlyList<(T Value, YamlNode Node, string Key)>> read,
        Func<NodeReader, YamlNode, string, Func<T, bool>?> pattern,
        Func<T, string> label,
        AxisStore store,
        Func<T, string>? key = null,
        IReadOnlyList<T>? defaults = null,
        bool builtInOnly = false)
        : base(name, defaults is null, schema, store, builtInOnly)
    {
        this.read = read;
        this.pattern = pattern;
        this.label = label;
        this.key = key ?? label;
        this.defaults = defaults ?? [];
    }

    public string Label(T value) => label(value);

    public string Key(T value) => key(value);

    /// <summary>
    /// An axis of this kind over <paramref name="values"/>, as if written at <paramref name="mark"/>.
    /// </summary>
    public Axis<T> Of(IReadOnlyList<T> values, SourceMark mark = default) =>
        new(this, values, [.. values.Select(_ => mark with { Key = Name })]);

    internal override IAxis Read(NodeReader reader, YamlNode? node, SourceMark root)
    {
        if (node is null)
        {
            return Of(defaults, root);
        }

        var items = read(reader, node);
        if (items is RangeItems<T> range)
        {
            // A range is monotone: equal values, where it is finer than doubles can tell apart, are neighbours. Its
            // values stay a range, computed when read, and share the range's place in the file.
            var equal = EqualityComparer<T>.Default;
            var previous = range.Count > 0 ? range.Values[0] : default!;
            for (var i = 1; i < range.Count; i++)
            {
                var value = range.Values[i];
                if (equal.Equals(value, previous))
                {
                    reader.Error(range.Node, range.Key, $"{Name} value '{label(value)}' is listed twice: the range is finer than doubles can tell apart");
                    break;
                }

                previous = value;
            }

            return new Axis<T>(this, range.Values, new Repeated<SourceMark>(reader.Mark(range.Node, range.Key), range.Count));
        }

        // Equal values (typed equality, which is what the identity key encodes) would make two runs with one identity.
        var seen = new HashSet<T>();
        var unique = new List<(T Value, YamlNode Node, string Key)>(items.Count);
        foreach (var item in items)
        {
            if (seen.Add(item.Value))
            {
                unique.Add(item);
            }
            else
            {
                reader.Error(item.Node, item.Key, $"{Name} value '{label(item.Value)}' is listed twice");
            }
        }

        return new Axis<T>(this, [.. unique.Select(i => i.Value)], [.. unique.Select(i => reader.Mark(i.Node, i.Key))]);
    }

    internal override bool[]? Select(NodeReader reader, IAxis axis, YamlNode node, string key)
    {
        if (pattern(reader, node, key) is not { } test)
        {
            return null;
        }

        var values = ((Axis<T>)axis).Values;
        var accepted = values.Select(test).ToArray();
        if (!accepted.Contains(true))
        {
            reader.Error(node, key, $"'{Describe(node)}' is not a value of the {Name} axis");
            return null;
        }

        return accepted;
    }

    private static string Describe(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : node.ToString();
}
