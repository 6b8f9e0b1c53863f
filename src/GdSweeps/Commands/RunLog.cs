using System.Globalization;
using System.Text;

namespace GdSweeps.Commands;

/// <summary>
/// One run's log as it is written, from the threads that read the child's stdout and stderr: every line that is not
/// the protocol, each marked with its stream, and the tool's notes (what ran, how it ended). Bounded: past
/// <see cref="MaxBytes"/> of the child's text it reports so, and the run is stopped.
/// </summary>
internal sealed class RunLog : IDisposable
{
    /// <summary>
    /// 8 MiB of text a run: a training script's progress, many times over; a runaway child is stopped there.
    /// </summary>
    public const long MaxBytes = 8 << 20;

    private readonly FileStream file;
    private readonly Lock gate = new();
    private readonly Queue<string> stderrTail = new();
    private long childBytes;
    private int tailBytes;

    public RunLog(string path) => file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 14);

    /// <summary>A line the child wrote; false once the child has written more than <see cref="MaxBytes"/>.</summary>
    public bool Child(string stream, string text, bool cut)
    {
        lock (gate)
        {
            // The line as the log holds it, its stream's mark included: a flood of empty lines is bounded too.
            childBytes += text.Length + stream.Length + 4;
            if (childBytes > MaxBytes)
            {
                return false;
            }

            Write($"{stream} | {text}{(cut ? $" [cut at {LineSplitter.MaxLineBytes} bytes]" : "")}");
            if (stream == "err")
            {
                stderrTail.Enqueue(text);
                tailBytes += text.Length + 1;
                while (tailBytes > Training.CommandRecord.StderrTailBytes && stderrTail.Count > 1)
                {
                    tailBytes -= stderrTail.Dequeue().Length + 1;
                }
            }

            return true;
        }
    }

    /// <summary>A note of the tool's own, marked <c>#</c>.</summary>
    public void Note(string text)
    {
        lock (gate)
        {
            Write("# " + text);
        }
    }

    /// <summary>Starts a new attempt: what stderr ended with is about the attempt that ran last.</summary>
    public void NewAttempt()
    {
        lock (gate)
        {
            stderrTail.Clear();
            tailBytes = 0;
            childBytes = 0;
        }
    }

    /// <summary>
    /// The end of what the last attempt wrote to stderr, at most <see cref="Training.CommandRecord.StderrTailBytes"/>;
    /// null when nothing.
    /// </summary>
    public string? StderrTail()
    {
        lock (gate)
        {
            if (stderrTail.Count == 0)
            {
                return null;
            }

            var text = string.Join("\n", stderrTail);
            return text.Length > Training.CommandRecord.StderrTailBytes ? text[^Training.CommandRecord.StderrTailBytes..] : text;
        }
    }

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public void Dispose() => file.Dispose();

    private void Write(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        file.Write(bytes);
        file.Flush();
    }
}
