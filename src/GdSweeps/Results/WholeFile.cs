namespace GdSweeps.Results;

/// <summary>
/// A file outside any results folder (an export, a comparison, a report to <c>--out</c>), written whole or not at
/// all: into a temporary file beside it, then renamed over it, its folder made first. A failed or interrupted write
/// leaves the old file, or none, and no temporary.
/// </summary>
internal static class WholeFile
{
    public static async Task<T> WriteAsync<T>(string path, Func<Stream, Task<T>> write)
    {
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            T result;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = await write(file);
            }

            File.Move(temp, target, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static Task WriteAsync(string path, Func<Stream, Task> write) =>
        WriteAsync(path, async stream =>
        {
            await write(stream);
            return true;
        });

    public static Task WriteTextAsync(string path, string text, CancellationToken ct) =>
        WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            await writer.WriteAsync(text.AsMemory(), ct);
        });
}
