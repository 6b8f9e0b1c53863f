using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>
/// The values of an axis written as one range (<c>{logspace: ...}</c>): all at one place in the file, computed when
/// read, in order.
/// </summary>
internal sealed class RangeItems<T>(IReadOnlyList<T> values, YamlNode node, string key) : IReadOnlyList<(T Value, YamlNode Node, string Key)>
{
    public IReadOnlyList<T> Values => values;

    public YamlNode Node => node;

    public string Key => key;

    public int Count => values.Count;

    public (T Value, YamlNode Node, string Key) this[int index] => (values[index], node, key);

    public IEnumerator<(T Value, YamlNode Node, string Key)> GetEnumerator()
    {
        for (var i = 0; i < values.Count; i++)
        {
            yield return (values[i], node, key);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One value <see cref="Count"/> times, stored once: the place in the file of every value of a range.</summary>
internal sealed class Repeated<T>(T value, int count) : IReadOnlyList<T>
{
    public int Count => count;

    public T this[int index] => (uint)index < (uint)count ? value : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator() => Enumerable.Repeat(value, count).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
