using System.Globalization;
using GdSweeps.Configs;

namespace GdSweeps.Analysis;

/// <summary>
/// A setting's user parameters as stored: each name with its value's text and how it is stored; equal when every one
/// is.
/// </summary>
internal sealed class ParamValues : IEquatable<ParamValues>
{
    public ParamValues(IReadOnlyList<(string Name, string Text, ParamKind Kind)> values) => Values = values;

    public static ParamValues None { get; } = new([]);

    public IReadOnlyList<(string Name, string Text, ParamKind Kind)> Values { get; }

    /// <summary>
    /// The value of <paramref name="name"/> as stored in a column of its kind: a long, a double or the text.
    /// </summary>
    public object Typed(string name)
    {
        var (_, text, kind) = Values.First(v => v.Name == name);
        return kind switch
        {
            ParamKind.Whole => long.Parse(text, CultureInfo.InvariantCulture),
            ParamKind.Number => double.Parse(text, CultureInfo.InvariantCulture),
            _ => text,
        };
    }

    public bool Equals(ParamValues? other) => other is not null && Values.SequenceEqual(other.Values);

    public override bool Equals(object? obj) => obj is ParamValues other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }
}
