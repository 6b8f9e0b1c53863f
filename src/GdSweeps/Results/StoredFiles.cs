using GdSweeps.Data;

namespace GdSweeps.Results;

/// <summary>
/// Every file the tool reads from a results folder is checked first: a regular file, not a link. A FIFO at
/// <c>manifest.json</c> would block the reader for ever, a device never end, a link lead out of the folder.
/// </summary>
internal static class StoredFiles
{
    /// <summary>Throws unless <paramref name="path"/> is a regular file or absent (absent files are their readers' to report).</summary>
    /// <exception cref="InvalidDataException">It is a link, a FIFO, a device, a folder or a socket.</exception>
    public static void Check(string path)
    {
        if (FileKind.What(path) is { } what && what is not ("file" or "missing"))
        {
            throw new InvalidDataException($"{path} is {what}, not a file GdSweeps wrote: remove it, then run again");
        }
    }

    /// <summary>Opens <paramref name="path"/> for reading once <see cref="Check"/> passes.</summary>
    public static FileStream OpenRead(string path)
    {
        Check(path);
        return File.OpenRead(path);
    }
}

/// <summary>
/// A file written under a temporary name and on its way to the disk, not yet durable or recorded: where it is, which
/// <see cref="ResultFolder.Commit"/> syncs and renames, and the record the journal will hold.
/// </summary>
internal sealed record PendingFile(string Temp, StoredFile Record);
