namespace GdSweeps.Configs;

/// <summary>The axes of a sweep in grid order (the last varies fastest), looked up by their kind or name.</summary>
internal sealed class AxisSet
{
    private readonly IAxis[] axes;
    private readonly AxisKind[] kinds;

    public AxisSet(IEnumerable<IAxis> axes)
    {
        this.axes = [.. axes];
        kinds = [.. this.axes.Select(a => a.Kind)];
    }

    public IReadOnlyList<IAxis> All => axes;

    public int Count => axes.Length;

    public Axis<T> Get<T>(AxisKind<T> kind) => (Axis<T>)axes[IndexOf(kind)];

    public IAxis this[string name] => axes[IndexOf(name)];

    /// <summary>The position of axis <paramref name="name"/> in grid order; -1 when there is none.</summary>
    public int IndexOf(string name) => Array.FindIndex(axes, a => a.Name == name);

    /// <summary>
    /// The position of the axis of kind <paramref name="kind"/> in grid order (by reference: no text compared); -1 when
    /// there is none.
    /// </summary>
    public int IndexOf(AxisKind kind)
    {
        for (var i = 0; i < kinds.Length; i++)
        {
            if (ReferenceEquals(kinds[i], kind))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The value of the axis of kind <paramref name="kind"/> at grid point <paramref name="point"/> (an index into each
    /// axis).
    /// </summary>
    public T ValueAt<T>(AxisKind<T> kind, int[] point)
    {
        var a = IndexOf(kind);
        return ((Axis<T>)axes[a]).At(point[a]);
    }

    /// <summary>The number of values of each axis, in grid order.</summary>
    public int[] Lengths => [.. axes.Select(a => a.Count)];

    public AxisSet With(IAxis replacement) =>
        new(axes.Select(a => a.Name == replacement.Name ? replacement : a));
}
