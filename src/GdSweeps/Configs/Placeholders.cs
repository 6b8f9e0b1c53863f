using System.Text;

namespace GdSweeps.Configs;

/// <summary>
/// The <c>{name}</c> placeholders of a command's arguments: each is replaced by the run's value, inside its argument,
/// which stays one argument whatever the value holds (no shell ever splits or expands it). <c>{{</c> and <c>}}</c> are
/// literal braces.
/// </summary>
internal static class Placeholders
{
    /// <summary>The placeholders every run has; each user parameter adds its own name.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
    [
        "learning_rate", "steps", "seed", "clip", "clip_mode", "dataset", "transform", "data", "data_parquet", "data_meta",
        "run_json", "run_id", "group_id", "run_index", "workdir", "attempt",
    ];

    /// <summary>The names an argument uses, or the reason it cannot be read (an unclosed or empty brace).</summary>
    public static (IReadOnlyList<string> Names, string? Error) Names(string argument)
    {
        var names = new List<string>();
        var error = Walk(argument, _ => { }, name => names.Add(name));
        return (names, error);
    }

    /// <summary>The argument with every placeholder replaced by <paramref name="value"/> of its name.</summary>
    /// <exception cref="FormatException">The argument is not well formed (a config check lets none
    /// through).</exception>
    public static string Substitute(string argument, Func<string, string> value)
    {
        var text = new StringBuilder(argument.Length);
        var error = Walk(argument, c => text.Append(c), name => text.Append(value(name)));
        return error is null ? text.ToString() : throw new FormatException(error);
    }

    private static string? Walk(string argument, Action<char> literal, Action<string> placeholder)
    {
        for (var i = 0; i < argument.Length; i++)
        {
            var c = argument[i];
            if ((c == '{' || c == '}') && i + 1 < argument.Length && argument[i + 1] == c)
            {
                literal(c);
                i++;
            }
            else if (c == '{')
            {
                var end = argument.IndexOf('}', i + 1);
                if (end < 0)
                {
                    return "a '{' is not closed; write {{ for a literal brace";
                }

                var name = argument[(i + 1)..end];
                if (name.Length == 0 || name.Contains('{', StringComparison.Ordinal))
                {
                    return $"'{{{name}}}' is not a placeholder; write {{{{ for a literal brace";
                }

                placeholder(name);
                i = end;
            }
            else if (c == '}')
            {
                return "a '}' without its '{'; write }} for a literal brace";
            }
            else
            {
                literal(c);
            }
        }

        return null;
    }
}
