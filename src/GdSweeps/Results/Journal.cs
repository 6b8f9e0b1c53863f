using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GdSweeps.Results;

/// <summary>
/// A stored file as its writer recorded it: its path in the folder, its size and SHA-256; a negative size records its
/// removal.
/// </summary>
internal sealed record StoredFile(string File, long Bytes, string Sha256, long Written)
{
    /// <summary>The record that a file left its place (moved, set aside or deleted).</summary>
    public static StoredFile Removed(string file) => new(file, -1, new string('0', 64), Journal.Now());

    /// <summary>The recorded checksum's short form, for messages.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Prefix => Sha256[..12];
}

/// <summary>
/// Each writer's record of the files it stored, one JSON line per file, appended (and synced) before the file is
/// renamed into place: a file the journal does not name was not written whole by GdSweeps. A torn last line (a kill
/// while appending) is ignored, and its file is then unrecorded.
/// </summary>
internal static class Journal
{
    /// <summary>The journal of writer <paramref name="owner"/>, inside the folder's hidden area.</summary>
    public static string PathOf(string hidden, string owner) => Path.Combine(hidden, $"journal-{owner}.jsonl");

    /// <summary>Appends a line for each file, each in a write of its own, and syncs the journal once.</summary>
    internal static void Append(FileStream journal, params IReadOnlyList<StoredFile> files)
    {
        foreach (var file in files)
        {
            journal.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(file, JournalJson.Default.StoredFile) + "\n"));
            journal.Flush();
        }

        journal.Flush(flushToDisk: true);
    }

    /// <summary>The latest record of every file, over every writer's journal in <paramref name="hidden"/>.</summary>
    public static Dictionary<string, StoredFile> Read(string hidden)
    {
        var files = new Dictionary<string, StoredFile>(StringComparer.Ordinal);
        if (!System.IO.Directory.Exists(hidden))
        {
            return files;
        }

        foreach (var journal in System.IO.Directory.GetFiles(hidden, "journal-*.jsonl").Order(StringComparer.Ordinal))
        {
            StoredFiles.Check(journal);
            foreach (var line in File.ReadLines(journal))
            {
                StoredFile? entry;
                try
                {
                    entry = JsonSerializer.Deserialize(line, JournalJson.Default.StoredFile);
                }
                catch (JsonException)
                {
                    continue; // a torn or damaged line: its file counts as unrecorded
                }

                if (entry is { File: { Length: > 0 }, Sha256: { Length: 64 } }
                    && (!files.TryGetValue(entry.File, out var earlier) || earlier.Written <= entry.Written))
                {
                    files[entry.File] = entry;
                }
            }
        }

        foreach (var removed in files.Where(f => f.Value.Bytes < 0).Select(f => f.Key).ToList())
        {
            files.Remove(removed);
        }

        return files;
    }

    public static long Now() => DateTime.UtcNow.Ticks;

    internal static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    internal static string Describe(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StoredFile))]
internal sealed partial class JournalJson : JsonSerializerContext;
