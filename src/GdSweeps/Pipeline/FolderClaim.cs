using GdSweeps.Data;
using GdSweeps.Results;

namespace GdSweeps.Pipeline;

/// <summary>
/// A results folder belongs to one sweep: <c>run</c> writes into an empty folder, or one that holds the same sweep
/// (by its name, which the manifest records with the config it came from). A folder holding another sweep, or files
/// of no sweep, is refused, unless the user asks for it to be replaced; then the old contents go first, under the
/// folder's lock.
/// </summary>
internal static partial class FolderClaim
{
    /// <summary>Refuses <paramref name="directory"/> for sweep <paramref name="sweep"/> when it belongs to another, or clears it when told to.</summary>
    /// <exception cref="FolderTakenException">It holds another sweep, or files of none, and <paramref name="replace"/> is false.</exception>
    /// <exception cref="StoreBusyException">Replacing: another process holds the folder.</exception>
    public static void Claim(string directory, string sweep, string config, bool replace)
    {
        if (directory.Trim().Length == 0)
        {
            throw new FolderTakenException($"'{directory}' is no folder name: give --out a folder");
        }

        if (!Directory.Exists(directory) && (File.Exists(directory) || FileKind.What(directory) is "a FIFO" or "a device" or "a socket" or "not a regular file"))
        {
            throw new FolderTakenException($"{directory} is a file, not a folder: the results of '{sweep}' need a folder of their own (--out DIR)");
        }

        if (!Directory.Exists(directory) || Owner(directory, sweep) is not { } other)
        {
            return;
        }

        if (!replace)
        {
            throw new FolderTakenException($"{directory} {other}; this config ({config}) is the sweep '{sweep}'. Nothing was written: "
                + "run it into another folder (--out DIR), or pass --replace to delete what the folder holds and run there");
        }

        Serilog.Log.Warning("Replacing what {Directory} held ({Other}): deleting {Entries}", directory, other,
            string.Join(", ", new DirectoryInfo(directory).EnumerateFileSystemInfos().Select(e => e.Name).Where(n => n != ResultFolder.HiddenFolder).Order(StringComparer.Ordinal)));
        Clear(directory);
    }

    /// <summary>What makes the folder another's, in words (<c>holds the sweep 'x' ...</c>); null when it is free for <paramref name="sweep"/>.</summary>
    private static string? Owner(string directory, string sweep)
    {
        var entries = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var manifests = entries.Where(e => e == Manifest.FileName || (e.StartsWith("manifest-", StringComparison.Ordinal) && e.EndsWith(".json", StringComparison.Ordinal))).ToList();
        foreach (var name in manifests)
        {
            Manifest? manifest;
            try
            {
                manifest = Manifest.Read(Path.Combine(directory, name));
            }
            catch (InvalidDataException e)
            {
                // Whose it is cannot be read: the folder's own record of its sweep says, else it is not taken on a
                // guess (a damaged manifest of this sweep is the storage's to set aside, with what to do).
                if (Recorded(directory) != sweep)
                {
                    return $"holds a manifest that cannot be read ({e.Message}), so whose sweep it holds is not known";
                }

                continue;
            }

            if (manifest is not null && manifest.Sweep != sweep)
            {
                return $"holds the sweep '{manifest.Sweep}' (from {manifest.ConfigPath}, {manifest.State})";
            }
        }

        // No manifest: the folder's own record of its sweep says whose it is (a manifest deleted, or never written).
        if (manifests.Count == 0 && Recorded(directory) is { } recorded)
        {
            return recorded == sweep ? null : $"holds the sweep '{recorded}' (its manifest.json is missing)";
        }

        // Only a sweep's own files: one that stopped before its manifest was written leaves its hidden area and logs.
        var foreign = entries.Where(e => manifests.Count == 0 && !SweepsOwn(e)).ToList();
        return foreign.Count == 0
            ? null
            : $"holds files of no GdSweeps sweep ({string.Join(", ", foreign.Take(5))}{(foreign.Count > 5 ? $" and {foreign.Count - 5} more" : "")})";
    }

    /// <summary>The file in the hidden area that names the folder's sweep, beside its manifest.</summary>
    public const string OwnerFile = ResultFolder.HiddenFolder + "/sweep";

    /// <summary>The sweep the folder's own record names (<see cref="OwnerFile"/>); null when it has none readable.</summary>
    public static string? Recorded(string directory)
    {
        var path = Path.Combine(directory, OwnerFile);
        try
        {
            StoredFiles.Check(path);
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// A name a sweep writes before its manifest: the hidden area, the logs (<c>gdsweeps.log</c>, a shard's
    /// <c>gdsweeps-shard-K-of-N.log</c>) and the job array's logs Slurm writes for <c>make sweep-slurm</c>
    /// (<c>slurm-JOB_TASK.out</c>, written into the folder before any shard starts).
    /// </summary>
    private static bool SweepsOwn(string name) =>
        name is ResultFolder.HiddenFolder or "gdsweeps.log"
        || (name.StartsWith("gdsweeps-", StringComparison.Ordinal) && name.EndsWith(".log", StringComparison.Ordinal))
        || SlurmLog().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex(@"^slurm-[0-9]+_[0-9]+\.out$")]
    private static partial System.Text.RegularExpressions.Regex SlurmLog();

    /// <summary>Deletes everything in <paramref name="directory"/> but its locks, holding the folder's lock (links are removed, never followed).</summary>
    private static void Clear(string directory)
    {
        var hidden = Path.Combine(directory, ResultFolder.HiddenFolder);
        Directory.CreateDirectory(hidden);
        using var folderLock = Posix.OpenLock(Path.Combine(hidden, "lock"));
        if (!Posix.TryLock(folderLock, shared: false))
        {
            throw new StoreBusyException($"{directory} is being written by another gdsweeps process; it cannot be replaced now");
        }

        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.Name == ResultFolder.HiddenFolder && entry.LinkTarget is null)
            {
                foreach (var inner in new DirectoryInfo(hidden).EnumerateFileSystemInfos().Where(e => !e.Name.StartsWith("lock", StringComparison.Ordinal)))
                {
                    Remove(inner);
                }
            }
            else
            {
                Remove(entry);
            }
        }
    }

    private static void Remove(FileSystemInfo entry)
    {
        if (entry is DirectoryInfo directory && entry.LinkTarget is null)
        {
            directory.Delete(recursive: true);
        }
        else
        {
            entry.Delete();
        }
    }
}

/// <summary>A results folder belongs to another sweep, or holds files of none: nothing was written.</summary>
internal sealed class FolderTakenException(string message) : Exception(message);
