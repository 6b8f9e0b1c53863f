namespace GdSweeps.Configs;

/// <summary>Where a value was written in the config: for errors found after reading, such as a transform that cannot fit.</summary>
public readonly record struct SourceMark(long Line, long Column, string Key)
{
    /// <summary>Where the value came from when not the config file: <c>--set</c> for a command-line override (which has no line).</summary>
    public string? File { get; init; }
}

/// <summary>One axis of a sweep, whatever the type of its values: its name (the YAML key) and, per value, a label and an identity key.</summary>
public interface IAxis
{
    /// <summary>The YAML key, which is also the name <c>zip</c> and <c>exclude</c> use.</summary>
    string Name { get; }

    AxisKind Kind { get; }

    int Count { get; }

    /// <summary>How value <paramref name="index"/> reads in logs and listings.</summary>
    string Label(int index);

    /// <summary>Everything about value <paramref name="index"/> that can change a stored number or label, as text: part of each run's identity.</summary>
    string Key(int index);

    SourceMark Mark(int index);
}

/// <summary>A named axis with typed values, in the order the config gives them.</summary>
public sealed class Axis<T> : IAxis
{
    private readonly SourceMark[] marks;

    internal Axis(AxisKind<T> kind, IReadOnlyList<T> values, IReadOnlyList<SourceMark> marks)
    {
        Kind = kind;
        Values = values;
        this.marks = [.. marks];
    }

    public AxisKind<T> Kind { get; }

    AxisKind IAxis.Kind => Kind;

    public string Name => Kind.Name;

    public IReadOnlyList<T> Values { get; }

    public int Count => Values.Count;

    public T this[int index] => Values[index];

    public string Label(int index) => Kind.Label(Values[index]);

    public string Key(int index) => Kind.Key(Values[index]);

    public SourceMark Mark(int index) => marks[index];
}

/// <summary>The axes of a sweep in grid order (the last varies fastest), looked up by their kind or name.</summary>
public sealed class AxisSet
{
    private readonly IAxis[] axes;

    public AxisSet(IEnumerable<IAxis> axes) => this.axes = [.. axes];

    public IReadOnlyList<IAxis> All => axes;

    public int Count => axes.Length;

    public Axis<T> Get<T>(AxisKind<T> kind) => (Axis<T>)axes[IndexOf(kind.Name)];

    public IAxis this[string name] => axes[IndexOf(name)];

    /// <summary>The position of axis <paramref name="name"/> in grid order; -1 when there is none.</summary>
    public int IndexOf(string name) => Array.FindIndex(axes, a => a.Name == name);

    /// <summary>The number of values of each axis, in grid order.</summary>
    public int[] Lengths => [.. axes.Select(a => a.Count)];

    public AxisSet With(IAxis replacement) =>
        new(axes.Select(a => a.Name == replacement.Name ? replacement : a));
}
