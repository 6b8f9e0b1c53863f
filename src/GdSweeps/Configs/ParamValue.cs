using System.Globalization;

namespace GdSweeps.Configs;

/// <summary>How a user parameter's values are stored: a whole number, a number, or a text.</summary>
internal enum ParamKind
{
    Whole,
    Number,
    Text,
}

/// <summary>
/// One value of a user parameter (<c>params:</c>): a number or a text, as the command receives it. Numbers compare as
/// numbers (<c>16</c> and <c>16.0</c> are one value), texts as written.
/// </summary>
/// <param name="Number">The value when it was written as a number; null for a text.</param>
/// <param name="Text">What the command receives: an integer as written (<c>16</c>), another number in round-trip form,
/// a text verbatim.</param>
internal sealed record ParamValue(double? Number, string Text)
{
    /// <summary>
    /// A number; integral values read without a decimal point, so <c>hidden: 16</c> arrives as <c>16</c>.
    /// </summary>
    public static ParamValue Of(double number) =>
        new(number, Whole(number) ? ((long)number).ToString(CultureInfo.InvariantCulture) : number.ToString("R", CultureInfo.InvariantCulture));

    public static ParamValue OfText(string text) => new(null, text);

    /// <summary>Whether the value is a whole number that a 64-bit integer holds exactly.</summary>
    public bool IsInteger => Number is { } n && Whole(n);

    /// <summary>Everything that tells this value from another of its axis: the kind and the value.</summary>
    public string Key => Number is { } n ? "n:" + n.ToString("R", CultureInfo.InvariantCulture) : "s:" + Text;

    public bool Equals(ParamValue? other) => other is not null && (Number is { } n ? other.Number == n : other.Number is null && other.Text == Text);

    public override int GetHashCode() => Number is { } n ? n.GetHashCode() : StringComparer.Ordinal.GetHashCode(Text);

    private static bool Whole(double n) => Math.Abs(n) < 9e15 && Math.Floor(n) == n;

    /// <summary>
    /// How an axis of these values is stored: whole numbers when every value is one, numbers when every one is a
    /// number, else texts.
    /// </summary>
    /// <remarks>Part of every run's identity, since a run stored as a whole number cannot be copied into a column of
    /// texts.</remarks>
    public static ParamKind KindOf(IEnumerable<ParamValue> values)
    {
        var all = values.ToList();
        return all.All(v => v.IsInteger) ? ParamKind.Whole : all.All(v => v.Number is not null) ? ParamKind.Number : ParamKind.Text;
    }
}
