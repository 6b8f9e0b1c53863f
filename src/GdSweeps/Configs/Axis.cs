using GdSweeps.Numerics;

namespace GdSweeps.Configs;

/// <summary>A named axis with typed values, in the order the config gives them.</summary>
internal sealed class Axis<T> : IAxis
{
    /// <summary>Axes of more values than this keep a range as a range, each value computed when read.</summary>
    private const int Materialized = 100_000;

    private readonly IReadOnlyList<SourceMark> marks;
    private readonly IReadOnlyList<T> values;

    // The values as an array (a run reads several at a time, and an array is the fast path); null for a long range.
    private readonly T[]? array;

    internal Axis(AxisKind<T> kind, IReadOnlyList<T> values, IReadOnlyList<SourceMark> marks)
    {
        Kind = kind;
        var lazy = values is RangeValues && values.Count > Materialized;
        array = lazy ? null : [.. values];
        this.values = array ?? values;
        this.marks = marks is Repeated<SourceMark> ? marks : [.. marks];
    }

    public AxisKind<T> Kind { get; }

    AxisKind IAxis.Kind => Kind;

    public string Name => Kind.Name;

    public IReadOnlyList<T> Values => values;

    public int Count => values.Count;

    public T this[int index] => values[index];

    /// <summary>Value <paramref name="index"/>, from the array itself (a run reads several a time).</summary>
    public T At(int index) => array is not null ? array[index] : values[index];

    public string Label(int index) => Kind.Label(Values[index]);

    public string Key(int index) => Kind.Key(Values[index]);

    public SourceMark Mark(int index) => marks[index];
}
