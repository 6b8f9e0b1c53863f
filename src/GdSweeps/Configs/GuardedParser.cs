using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GdSweeps.Configs;

/// <summary>
/// YamlDotNet's event parser with a limit on nesting depth, remembering the last event it read. YamlStream builds its
/// nodes recursively (tens of thousands of nested <c>[</c> overflow the stack and kill the process), so the depth is
/// counted here, event by event and without recursion, and too deep a document stops before any deep node is built.
/// </summary>
internal sealed class GuardedParser(TextReader text, CancellationToken ct) : IParser
{
    /// <summary>
    /// Deeper than any config needs (the deepest real key is about six levels), shallow enough for any stack.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Nodes a document may stand for with its aliases expanded: a million, far beyond any config; a handful of nested
    /// aliases (a "billion laughs") would otherwise make every reader of the tree walk billions of nodes.
    /// </summary>
    public const long MaxExpandedNodes = 1_000_000;

    /// <summary>The expanded size of each anchored node read so far.</summary>
    private readonly Dictionary<string, long> anchored = new(StringComparer.Ordinal);

    /// <summary>Nodes read so far, each alias counted as the size of the node it stands for.</summary>
    private long expanded;

    private readonly Parser parser = new(text);

    /// <summary>The open collections, outermost first: where the parser is, as a key path for errors.</summary>
    private readonly List<Frame> open = [];
    private long count;

    public ParsingEvent? Current => parser.Current;

    /// <summary>The last event read: where an error that YamlDotNet reports without a position was found.</summary>
    public ParsingEvent? Last { get; private set; }

    public bool MoveNext()
    {
        // Every few thousand events: a 16 MiB config parses in well under a second, but Ctrl-C should not wait for it.
        if (++count % 4096 == 0)
        {
            ct.ThrowIfCancellationRequested();
        }

        if (!parser.MoveNext())
        {
            return false;
        }

        var e = parser.Current!;
        Last = e;
        switch (e)
        {
            case MappingStart or SequenceStart:
                expanded++;
                open.Add(new Frame(e is MappingStart) { Anchor = (e as NodeEvent)!.Anchor.IsEmpty ? null : (e as NodeEvent)!.Anchor.Value, Start = expanded });
                if (open.Count > MaxDepth)
                {
                    throw new NestingTooDeepException(e.Start, e.End, KeyPath());
                }

                break;
            case MappingEnd or SequenceEnd:
                var closed = open[^1];
                open.RemoveAt(open.Count - 1);
                if (closed.Anchor is { } anchor)
                {
                    anchored[anchor] = expanded - closed.Start + 1;
                }

                Completed(null);
                break;
            case Scalar scalar:
                expanded++;
                if (!scalar.Anchor.IsEmpty)
                {
                    anchored[scalar.Anchor.Value] = 1;
                }

                Completed(scalar.Value);
                break;
            case AnchorAlias alias:
                if (open.Any(f => f.Anchor == alias.Value.Value))
                {
                    // *a inside the node &a names: a value that contains itself, endless to every reader.
                    throw new TooManyNodesException(e.Start, e.End, KeyPath(), $"the alias *{alias.Value.Value} stands inside the node &{alias.Value.Value} it names: a value that contains itself");
                }

                expanded += anchored.GetValueOrDefault(alias.Value.Value, 1);
                Completed(null);
                break;
        }

        if (expanded > MaxExpandedNodes)
        {
            throw new TooManyNodesException(e.Start, e.End, KeyPath());
        }

        return true;
    }

    /// <summary>
    /// A node of the innermost open collection is complete: in a mapping, a key is followed by its value.
    /// </summary>
    private void Completed(string? scalar)
    {
        if (open.Count == 0)
        {
            return;
        }

        var frame = open[^1];
        if (frame.IsMapping && frame.Nodes % 2 == 0)
        {
            frame.Key = scalar ?? "?";
        }

        frame.Nodes++;
    }

    /// <summary>
    /// Where the parser is, as the config's keys read (<c>datasets[0].x</c>), the first few levels only.
    /// </summary>
    private string KeyPath()
    {
        const int shown = 3;
        var path = "";
        foreach (var frame in open.Take(Math.Min(shown, open.Count - 1)))
        {
            path = frame.IsMapping ? NodeReader.Join(path, frame.Key) : $"{path}[{frame.Nodes}]";
        }

        return open.Count - 1 > shown ? path + "..." : path;
    }

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        /// <summary>
        /// Nodes completed so far: in a mapping, keys and values alternate; in a list, the index of the next item.
        /// </summary>
        public long Nodes { get; set; }

        /// <summary>In a mapping, the key whose value is being read.</summary>
        public string Key { get; set; } = "";

        /// <summary>The collection's anchor, when an alias may refer to it.</summary>
        public string? Anchor { get; init; }

        /// <summary>The expanded count when it opened.</summary>
        public long Start { get; init; }
    }
}

/// <summary>A YAML document nested deeper than <see cref="GuardedParser.MaxDepth"/> levels.</summary>
internal sealed class NestingTooDeepException(Mark start, Mark end, string key)
    : YamlException(start, end, $"nesting deeper than {GuardedParser.MaxDepth} levels")
{
    /// <summary>Where in the config's keys the nesting went too deep.</summary>
    public string Key { get; } = key;
}

/// <summary>
/// A YAML document whose aliases expand to more than <see cref="GuardedParser.MaxExpandedNodes"/> nodes, or without end
/// (an alias inside the node it names).
/// </summary>
internal sealed class TooManyNodesException(Mark start, Mark end, string key, string? message = null)
    : YamlException(start, end, message ?? $"its aliases expand to more than {GuardedParser.MaxExpandedNodes} nodes")
{
    /// <summary>Where in the config's keys the count went past the limit.</summary>
    public string Key { get; } = key;
}
