using System.Text;

namespace GdSweeps.Commands;

/// <summary>
/// Splits a byte stream into lines of at most <see cref="MaxLineBytes"/> bytes: a longer line comes in pieces of that
/// size, each marked cut, so a child that never ends a line costs a bounded buffer and its bytes count against the
/// output limit like any other. A byte-order mark at the start is dropped.
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

    /// <summary>The line under way is the rest of a longer one whose pieces came before.</summary>
    private bool rest;

    /// <summary>The bytes read so far, lines and line ends included.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Bytes read and not yet split into lines: the next <see cref="Next"/> returns without reading.</summary>
    public bool Buffered => start < end;

    /// <summary>
    /// The next line without its end (UTF-8, bad bytes replaced) and whether it was cut; null at the end of the stream.
    /// </summary>
    public (string Text, bool Cut)? Next()
    {
        length = 0;
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = stream.Read(buffer, 0, buffer.Length);
                var first = BytesRead == 0;
                BytesRead += end;
                if (end == 0)
                {
                    return length > 0 || rest ? Piece(ends: true) : null;
                }

                if (first && end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3; // UTF-8's byte-order mark: not part of the first line
                }
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            var stop = newline < 0 ? end : newline;
            var take = Math.Min(stop - start, MaxLineBytes - length);
            Array.Copy(buffer, start, line, length, take);
            length += take;
            start += take;
            if (newline >= 0 && start == newline)
            {
                start = newline + 1;
                return Piece(ends: true);
            }

            if (length == MaxLineBytes && start < end)
            {
                return Piece(ends: false); // a full piece of a longer line; the rest comes next, cut too
            }
        }
    }

    /// <summary>The bytes gathered, cut when they are not a whole line (a piece of a longer one, or its rest).</summary>
    private (string Text, bool Cut) Piece(bool ends)
    {
        var cut = rest || !ends;
        rest = !ends;
        return (Decode(), cut);
    }

    private string Decode()
    {
        var text = Encoding.UTF8.GetString(line, 0, length);
        return text.EndsWith('\r') ? text[..^1] : text;
    }
}
