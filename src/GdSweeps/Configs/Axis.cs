namespace GdSweeps.Configs;

/// <summary>A named axis with typed values, in the order the config gives them.</summary>
internal sealed class Axis<T> : IAxis
{
    private readonly SourceMark[] marks;
    private readonly T[] values;

    internal Axis(AxisKind<T> kind, IReadOnlyList<T> values, IReadOnlyList<SourceMark> marks)
    {
        Kind = kind;
        this.values = [.. values];
        this.marks = [.. marks];
    }

    public AxisKind<T> Kind { get; }

    AxisKind IAxis.Kind => Kind;

    public string Name => Kind.Name;

    public IReadOnlyList<T> Values => values;

    public int Count => values.Length;

    public T this[int index] => values[index];

    /// <summary>Value <paramref name="index"/>, from the array itself (a run reads several a time).</summary>
    public T At(int index) => values[index];

    public string Label(int index) => Kind.Label(Values[index]);

    public string Key(int index) => Kind.Key(Values[index]);

    public SourceMark Mark(int index) => marks[index];
}
