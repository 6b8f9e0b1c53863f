namespace GdSweeps.Configs;

/// <summary>A named axis with typed values, in the order the config gives them.</summary>
internal sealed class Axis<T> : IAxis
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
