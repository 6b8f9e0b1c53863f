using System.Globalization;

namespace GdSweeps.Commands;

/// <summary>What a child's attempt and a worker share: the threads that read its pipes, and how its text is quoted.</summary>
internal static class ChildText
{
    /// <summary>Starts a background thread running <paramref name="read"/>; a pipe closed under it ends it quietly.</summary>
    public static Thread Reader(Action read, string name)
    {
        var thread = new Thread(() =>
        {
            try
            {
                read();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The pipe closed under the reader, or the child was disposed: it is gone.
            }
        })
        {
            IsBackground = true,
            Name = $"gdsweeps {name} reader",
        };
        thread.Start();
        return thread;
    }

    /// <summary>Why a child that wrote past <see cref="RunLog.MaxBytes"/> of text was stopped.</summary>
    public static string OutputLimit { get; } = $"wrote more than {RunLog.MaxBytes >> 20} MiB of text besides the protocol; stopped";

    /// <summary>A line as an error quotes it: its first 200 characters.</summary>
    public static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    /// <summary>A timeout as an error says it: seconds below two minutes, else minutes.</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds < 120
        ? span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : span.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture) + " min";
}
