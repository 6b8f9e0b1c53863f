using System.Globalization;
using GdSweeps.Results;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace GdSweeps.Cli;

/// <summary>
/// The sweep's log file in its results folder, opened only once the folder's lock is held (a sweep refused by the lock
/// writes nothing there), appended to, and never through a symbolic link.
/// </summary>
internal sealed class LogFile : ILogEventSink, IDisposable
{
    private readonly MessageTemplateTextFormatter formatter =
        new("{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}", CultureInfo.InvariantCulture);

    private readonly Lock gate = new();
    private StreamWriter? writer;

    /// <summary>From now on, events go to <paramref name="relative"/> in <paramref name="folder"/>.</summary>
    public void Open(ResultFolder folder, string relative)
    {
        lock (gate)
        {
            writer = new StreamWriter(folder.AppendTo(relative)) { AutoFlush = true };
        }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (gate)
        {
            if (writer is not null)
            {
                formatter.Format(logEvent, writer);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            writer?.Dispose();
            writer = null;
        }
    }
}
