using System.Text;

namespace GdSweeps.Configs;

/// <summary>Reads a config file's text, at most a given size, whatever the file is.</summary>
/// <remarks>
/// A config is read bounded rather than refused when it is not a regular file, so <c>gdsweeps run &lt;(make-config)</c>
/// works; <c>/dev/zero</c> then ends at the limit with an error instead of filling memory.
/// </remarks>
internal static class ConfigFile
{
    /// <summary>
    /// The text of <paramref name="path"/>, or (with no text) an error about the whole file: missing, unreadable or too
    /// large.
    /// </summary>
    public static (string? Text, ConfigError? Error) Read(string path, int maxBytes, CancellationToken ct)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var tooLarge = new ConfigError(path, 0, 0, "", $"the config is larger than {maxBytes >> 20} MiB; a config names its data, which goes in files");
            if (stream.CanSeek && stream.Length > maxBytes)
            {
                return (null, tooLarge);
            }

            var bytes = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - bytes.Length))) > 0)
            {
                ct.ThrowIfCancellationRequested();
                bytes.Write(chunk, 0, n);
                if (bytes.Length > maxBytes)
                {
                    return (null, tooLarge);
                }
            }

            bytes.Position = 0;
            using var text = new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return (text.ReadToEnd(), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new ConfigError(path, 0, 0, "", $"cannot read the config: {e.Message}"));
        }
    }
}
