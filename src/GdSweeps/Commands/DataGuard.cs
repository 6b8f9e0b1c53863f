using GdSweeps.Data;

namespace GdSweeps.Commands;

/// <summary>
/// Holds every attempt to the data it was given: the copies of the transformed data the children read are checked
/// after each attempt (their kernel stamp, and their SHA-256 whenever it moved). A copy that changed is put back from
/// the results folder's data, and every attempt that ran while it was changed fails saying so: no run trains on data
/// other than its dataset's and is stored as if it had not.
/// </summary>
internal sealed class DataGuard
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Watches <paramref name="copy"/>, a read-only copy of <paramref name="source"/>.</summary>
    public void Add(string source, string copy)
    {
        lock (gate)
        {
            entries[copy] = new Entry(source, FileKind.Sha256(copy) ?? throw new IOException($"cannot read {copy}, just written"), FileKind.Stamp(copy));
        }
    }

    /// <summary>The generation of each of <paramref name="paths"/>'s files as an attempt starts.</summary>
    public int[] Begin(DataPaths paths)
    {
        lock (gate)
        {
            return [.. Files(paths).Select(f => entries.TryGetValue(f, out var e) ? e.Generation : 0)];
        }
    }

    /// <summary>
    /// Why the attempt that began at <paramref name="begun"/> did not have its data to itself, or null: a file changed
    /// (then put back), or was put back while it ran.
    /// </summary>
    public string? End(DataPaths paths, int[] begun)
    {
        lock (gate)
        {
            string? reason = null;
            var files = Files(paths);
            for (var i = 0; i < files.Length; i++)
            {
                if (!entries.TryGetValue(files[i], out var entry))
                {
                    continue;
                }

                var stamp = FileKind.Stamp(files[i]);
                if (stamp is null || stamp != entry.Stamp)
                {
                    if (FileKind.Sha256(files[i]) != entry.Sha256)
                    {
                        Restore(files[i], entry);
                        reason ??= $"its data file {Path.GetFileName(files[i])} was changed while the run used it (put back for the next runs)";
                    }
                    else
                    {
                        entry.Stamp = stamp;
                    }
                }

                if (entry.Generation != begun[i])
                {
                    reason ??= $"its data file {Path.GetFileName(files[i])} was changed by another run while this one used it (put back since)";
                }
            }

            return reason;
        }
    }

    private static string[] Files(DataPaths paths) => [paths.Csv, paths.Parquet, paths.Meta];

    /// <summary>The copy made again from its source, whole (written beside, then renamed over), read-only.</summary>
    private static void Restore(string copy, Entry entry)
    {
        var temp = $"{copy}.restore-{Guid.NewGuid():N}";
        File.Copy(entry.Source, temp);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.Move(temp, copy, overwrite: true);
        if (FileKind.Sha256(copy) != entry.Sha256)
        {
            throw new IOException($"the data file {copy} could not be put back: its source {entry.Source} changed too");
        }

        entry.Stamp = FileKind.Stamp(copy);
        entry.Generation++;
    }

    private sealed class Entry(string source, string sha256, FileStamp? stamp)
    {
        public string Source { get; } = source;

        public string Sha256 { get; } = sha256;

        public FileStamp? Stamp { get; set; } = stamp;

        public int Generation { get; set; }
    }
}
