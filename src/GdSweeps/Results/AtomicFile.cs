namespace GdSweeps.Results;

/// <summary>Writes a file whole or not at all: into a temporary file beside it, flushed to disk, then renamed into place.</summary>
public static class AtomicFile
{
    /// <summary>The suffix of this process's temporary files; anything ending in it that is left behind is garbage.</summary>
    public static string TempSuffix { get; } = $".tmp-{Environment.ProcessId}";

    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken ct)
    {
        var temp = path + TempSuffix;
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(stream);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static Task WriteTextAsync(string path, string text, CancellationToken ct) =>
        WriteAsync(path, async s =>
        {
            await using var writer = new StreamWriter(s, leaveOpen: true);
            await writer.WriteAsync(text.AsMemory(), ct);
        }, ct);

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary file we cannot delete is harmless: readers ignore *.tmp-* names.
        }
    }
}
