using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GdSweeps.Configs;

/// <summary>
/// Reads a config's text into its one YAML document, every syntax error located at its line and column.
/// </summary>
internal static class YamlDocument
{
    /// <summary>
    /// The root node of <paramref name="text"/>; null, with the error in <paramref name="reader"/>, when it is not one
    /// readable document.
    /// </summary>
    public static YamlNode? Root(string text, NodeReader reader, CancellationToken ct)
    {
        var stream = new YamlStream();
        var parser = new GuardedParser(new StringReader(text), ct);
        try
        {
            stream.Load(parser);
        }
        catch (NestingTooDeepException e)
        {
            reader.Errors.Add(new ConfigError(reader.File, e.Start.Line, e.Start.Column, e.Key, e.Message));
            return null;
        }
        catch (TooManyNodesException e)
        {
            reader.Errors.Add(new ConfigError(reader.File, e.Start.Line, e.Start.Column, e.Key, e.Message));
            return null;
        }
        catch (YamlException e)
        {
            var place = Place(e, parser.Last, text);
            var message = e.InnerException?.Message ?? e.Message;
            reader.Errors.Add(new ConfigError(reader.File, place.Line, place.Column, "", $"malformed YAML: {message}"));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet reports some malformed input (an unclosed bracket, some broken scalars) without a position:
            // it was found just after the last event the parser read.
            var place = parser.Last?.End ?? Mark.Empty;
            reader.Errors.Add(new ConfigError(reader.File, place.Line, place.Column, "", $"malformed YAML: {e.Message}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            reader.Errors.Add(new ConfigError(reader.File, 1, 1, "", "the config is empty"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            reader.Error(stream.Documents[1].RootNode, "", "a config holds one YAML document, found several");
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>
    /// Where a syntax error really is; YamlDotNet's own position is sometimes the start of the file or of the token.
    /// </summary>
    private static Mark Place(YamlException e, YamlDotNet.Core.Events.ParsingEvent? last, string text)
    {
        // The scanner reports the token it was reading (Start) and where it found the problem (End).
        var place = e is SyntaxErrorException && e.End.Index >= e.Start.Index ? e.End : e.Start;
        var after = last?.End ?? Mark.Empty;
        if (place.Index < after.Index && place.Index == 0)
        {
            // The start of the file, although the parser had read past it: no position was known.
            place = after;
        }

        if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            // A tab the scanner refused: the first one not yet read.
            var from = (int)Math.Min(Math.Max(place.Index, after.Index), text.Length);
            var tab = text.IndexOf('\t', from);
            if (tab >= 0)
            {
                place = MarkAt(text, tab);
            }
        }

        return place;
    }

    /// <summary>
    /// The line and column (1-based) of character <paramref name="index"/>, counting \n, \r\n and \r as line breaks as
    /// YAML does.
    /// </summary>
    private static Mark MarkAt(string text, int index)
    {
        long line = 1, column = 1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                line++;
                column = 1;
            }
            else if (text[i] != '\r')
            {
                column++;
            }
        }

        return new Mark(index, line, column);
    }
}
