using System.Runtime.CompilerServices;

namespace GdSweeps.Results;

/// <summary>
/// Text made once per value rather than once per run: every run of a sweep shares its axis values (the same optimizer,
/// transform and start objects), and a million runs would otherwise format a million copies of each label.
/// </summary>
internal sealed class Labels<T>(Func<T, string> make)
    where T : class
{
    private readonly ConditionalWeakTable<T, string> made = [];

    public string Of(T value) => made.GetValue(value, v => make(v));
}
