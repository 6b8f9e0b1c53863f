using System.Text;

namespace GdSweeps.Commands;

/// <summary>
/// Splits a byte stream into lines of at most <see cref="MaxLineBytes"/> bytes: a longer line is cut there and the rest
/// of it skipped, so a child that never ends a line costs a bounded buffer, never the tool's memory.
/// </summary>
internal sealed class LineSplitter(Stream stream)
{
    /// <summary>64 KiB: far beyond a protocol line (a few numbers) and a line of text a person reads.</summary>
    public const int MaxLineBytes = 1 << 16;

    private readonly byte[] buffer = new byte[1 << 14];
    private readonly byte[] line = new byte[MaxLineBytes];
    private int length;
    private int start;
    private int end;

    /// <summary>The bytes read so far, lines and line ends included.</summary>
    public long BytesRead { get; private set; }

    /// <summary>
    /// The next line without its end (UTF-8, bad bytes replaced) and whether it was cut; null at the end of the stream.
    /// </summary>
    public (string Text, bool Cut)? Next()
    {
        length = 0;
        var cut = false;
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = stream.Read(buffer, 0, buffer.Length);
                BytesRead += end;
                if (end == 0)
                {
                    return length > 0 || cut ? (Decode(), cut) : null;
                }
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            var stop = newline < 0 ? end : newline;
            var take = Math.Min(stop - start, MaxLineBytes - length);
            Array.Copy(buffer, start, line, length, take);
            length += take;
            cut |= take < stop - start;
            start = newline < 0 ? end : newline + 1;
            if (newline >= 0)
            {
                return (Decode(), cut);
            }
        }
    }

    private string Decode()
    {
        var text = Encoding.UTF8.GetString(line, 0, length);
        return text.EndsWith('\r') ? text[..^1] : text;
    }
}
