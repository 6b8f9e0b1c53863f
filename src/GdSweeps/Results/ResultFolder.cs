using System.Globalization;
using System.Security.Cryptography;

namespace GdSweeps.Results;

/// <summary>
/// A sweep's results folder, opened by one writer: its locks held, its hidden area (<c>.gdsweeps/</c>: locks,
/// journals, temporaries, runs kept for reuse) ready, and every file it writes stored whole, recorded with its
/// SHA-256 in the writer's journal, never through a symbolic link.
/// </summary>
/// <remarks>
/// Shards of one sweep write one folder at once: each holds the folder's lock shared and its own lock exclusive. A
/// whole sweep, a merge and a report hold the folder's lock exclusive, so a report never reads a folder being written.
/// </remarks>
internal sealed class ResultFolder : IDisposable
{
    public const string RunsFolder = "runs";
    public const string CurvesFolder = "curves";
    public const string HiddenFolder = ".gdsweeps";
    public const string DamagedFolder = "damaged";

    /// <summary>
    /// Runs of earlier configs or interrupted batches that a sweep may still copy instead of computing.
    /// </summary>
    public static readonly string ReuseFolder = Path.Combine(HiddenFolder, "reuse");

    /// <summary>Every name the tool writes at the top of a folder; none may be a symbolic link.</summary>
    private static readonly string[] Entries =
    [
        RunsFolder, CurvesFolder, HiddenFolder, DamagedFolder, "manifest.json", "gdsweeps.log", "summary.parquet", "transfer.parquet",
        "report.md", "report.html", "data", "logs",
    ];

    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle folderLock;
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle ownerLock;
    private readonly FileStream journal;
    private readonly object journalGate = new();
    private readonly Lock madeGate = new();
    private readonly HashSet<string> made = new(StringComparer.Ordinal); // folders whose entries this process synced
    private readonly HashSet<string> unsynced = new(StringComparer.Ordinal); // folders with renames not yet synced

    private ResultFolder(string directory, string owner, Microsoft.Win32.SafeHandles.SafeFileHandle folderLock, Microsoft.Win32.SafeHandles.SafeFileHandle ownerLock)
    {
        Directory = directory;
        Owner = owner;
        this.folderLock = folderLock;
        this.ownerLock = ownerLock;
        journal = Posix.OpenAppend(Journal.PathOf(Hidden, owner));
    }

    public string Directory { get; }

    /// <summary><c>main</c>, or <c>shard-K-of-N</c>: the writer whose journal and temporaries these are.</summary>
    public string Owner { get; }

    /// <summary>Held shared (a shard): other writers may be storing files in the folder at this moment.</summary>
    public bool Shared { get; private init; }

    public string Hidden => Path.Combine(Directory, HiddenFolder);

    private string Temporaries => Path.Combine(Hidden, $"tmp-{Owner}");

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>
    /// Opens <paramref name="directory"/> for <paramref name="owner"/>, creating it, and takes its locks.
    /// </summary>
    /// <param name="shared">A shard: others of the same sweep may write the folder at the same time.</param>
    /// <exception cref="StoreBusyException">Another process holds a conflicting lock; the message names it.</exception>
    /// <exception cref="IOException">An entry is a symbolic link, or the folder cannot be written.</exception>
    public static ResultFolder Open(string directory, string owner = "main", bool shared = false)
    {
        System.IO.Directory.CreateDirectory(directory);
        foreach (var entry in Entries)
        {
            var info = new FileInfo(Path.Combine(directory, entry));
            if (info.LinkTarget is not null)
            {
                throw new IOException($"{info.FullName} is a symbolic link (to {info.LinkTarget}); GdSweeps writes nothing through links: remove it or use another folder");
            }
        }

        var hidden = Path.Combine(directory, HiddenFolder);
        System.IO.Directory.CreateDirectory(hidden);
        foreach (var entry in new DirectoryInfo(hidden).EnumerateFileSystemInfos().Where(e => e.LinkTarget is not null))
        {
            throw new IOException($"{entry.FullName} is a symbolic link (to {entry.LinkTarget}); GdSweeps writes nothing through links: remove it or use another folder");
        }

        var folderLock = Posix.OpenLock(Path.Combine(hidden, "lock"));
        if (!Posix.TryLock(folderLock, shared))
        {
            folderLock.Dispose();
            throw new StoreBusyException(Busy(directory, hidden, shared ? "a whole sweep, a merge or a report" : "another gdsweeps process"));
        }

        var ownerLock = Posix.OpenLock(Path.Combine(hidden, $"lock-{owner}"));
        if (!Posix.TryLock(ownerLock, shared: false))
        {
            ownerLock.Dispose();
            folderLock.Dispose();
            throw new StoreBusyException(Busy(directory, hidden, $"another gdsweeps process as {owner}"));
        }

        var folder = new ResultFolder(directory, owner, folderLock, ownerLock) { Shared = shared };
        folder.WriteHolder();
        folder.ClearTemporaries();
        return folder;
    }

    /// <summary>
    /// Stores <paramref name="relative"/> whole: written to a new temporary file (created exclusively, never through a
    /// link), synced, recorded in the journal with its size and SHA-256, renamed into place (a folder made for it synced
    /// into its parent first), and the rename synced.
    /// </summary>
    public async Task<StoredFile> WriteAsync(string relative, Func<Stream, Task> write, CancellationToken ct)
    {
        var file = await PrepareAsync(relative, write, ct);
        Commit([file]);
        return file.Record;
    }

    /// <summary>
    /// Writes <paramref name="relative"/> to a new temporary file (created exclusively, never through a link), its
    /// SHA-256 computed as it is written, and starts its way to the disk without waiting: <see cref="Commit"/> makes it
    /// durable and puts it in place.
    /// </summary>
    public async Task<PendingFile> PrepareAsync(string relative, Func<Stream, Task> write, CancellationToken ct)
    {
        var temp = Path.Combine(Temporaries, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            await using var file = Posix.CreateNew(temp);
            await using var hashing = new HashingStream(file);
            await write(hashing);
            hashing.Flush(); // synchronously: the file is not opened for asynchronous writes
            Posix.StartWriteback(file.SafeFileHandle);
            return new PendingFile(temp, new StoredFile(relative.Replace('\\', '/'), hashing.Length, Journal.Hex(hashing.Hash()), Journal.Now()));
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Puts prepared files in place: each synced, then their records appended to the journal at once and synced, then
    /// each renamed into place (a folder made for it synced into its parent first) and the folders synced. With
    /// <paramref name="syncFolders"/> false the renames are synced later, by <see cref="SyncFolders"/> or the next
    /// commit that syncs: a rename lost to a power loss before then only leaves a recorded file missing, computed again.
    /// </summary>
    public void Commit(IReadOnlyList<PendingFile> files, bool syncFolders = true)
    {
        try
        {
            foreach (var file in files)
            {
                Posix.SyncFile(file.Temp); // closed since it was written (its buffer let go): synced through a descriptor of its own
            }

            lock (journalGate)
            {
                Journal.Append(journal, [.. files.Select(f => f.Record)]);
            }

            foreach (var file in files)
            {
                var target = PathOf(file.Record.File);
                var folder = Path.GetDirectoryName(target)!;
                MakeFolder(folder);
                File.Move(file.Temp, target, overwrite: true);
                lock (madeGate)
                {
                    unsynced.Add(folder);
                }
            }
        }
        catch
        {
            Discard(files);
            throw;
        }

        if (syncFolders)
        {
            SyncFolders();
        }
    }

    /// <summary>Deletes prepared files that will not be committed.</summary>
    public static void Discard(IReadOnlyList<PendingFile> files)
    {
        foreach (var file in files)
        {
            TryDelete(file.Temp);
        }
    }

    /// <summary>Syncs every folder a file was renamed into since the last time, making those renames durable.</summary>
    public void SyncFolders()
    {
        string[] folders;
        lock (madeGate)
        {
            folders = [.. unsynced];
            unsynced.Clear();
        }

        foreach (var folder in folders)
        {
            Posix.SyncFolder(folder);
        }
    }

    /// <summary>
    /// Makes the folder a file is renamed into, and makes the folder itself durable once per process: its entry, and
    /// those of any folders made above it, synced into their parents (syncing the folder after the rename makes only
    /// the file's entry durable, and a power loss could lose a folder just made with the parts in it).
    /// </summary>
    private void MakeFolder(string folder)
    {
        System.IO.Directory.CreateDirectory(folder);
        lock (madeGate)
        {
            for (var dir = folder; dir.Length > Directory.Length && made.Add(dir); dir = Path.GetDirectoryName(dir)!)
            {
                Posix.SyncFolder(Path.GetDirectoryName(dir)!);
            }
        }
    }

    public Task<StoredFile> WriteTextAsync(string relative, string text, CancellationToken ct) =>
        WriteAsync(relative, async s =>
        {
            await using var writer = new StreamWriter(s, leaveOpen: true);
            await writer.WriteAsync(text.AsMemory(), ct);
        }, ct);

    /// <summary>Opens a file of the folder (a log) for appending; never through a symbolic link.</summary>
    public Stream AppendTo(string relative) => Posix.OpenAppend(PathOf(relative));

    /// <summary>
    /// Moves a stored file elsewhere in the folder, keeping its record (a rename: the bytes stay the same).
    /// </summary>
    public StoredFile Move(StoredFile file, string relative)
    {
        var target = PathOf(relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var moved = file with { File = relative.Replace('\\', '/'), Written = Journal.Now() };
        lock (journalGate)
        {
            Journal.Append(journal, moved);
            File.Move(PathOf(file.File), target, overwrite: true);
            Journal.Append(journal, StoredFile.Removed(file.File));
        }

        return moved;
    }

    /// <summary>Deletes a stored file and records that it is gone.</summary>
    public void Delete(string relative)
    {
        lock (journalGate)
        {
            File.Delete(PathOf(relative));
            Journal.Append(journal, StoredFile.Removed(relative.Replace('\\', '/')));
        }
    }

    /// <summary>
    /// Moves a file that failed its check into <c>damaged/</c>, under a name that says when; never deleted.
    /// </summary>
    public string MoveAside(string relative)
    {
        var target = Path.Combine(DamagedFolder, $"{DateTime.UtcNow:yyyyMMddTHHmmss}-{relative.Replace('/', '_').Replace('\\', '_')}");
        System.IO.Directory.CreateDirectory(PathOf(DamagedFolder));
        lock (journalGate)
        {
            File.Move(PathOf(relative), PathOf(target), overwrite: true);
            Journal.Append(journal, StoredFile.Removed(relative.Replace('\\', '/')));
        }

        return target;
    }

    /// <summary>Whether <paramref name="file"/> on disk has the size and SHA-256 its writer recorded.</summary>
    public bool Verify(StoredFile file, out string problem) => Verify(Directory, file, out problem);

    /// <summary>
    /// Whether <paramref name="file"/> in the folder <paramref name="directory"/> has the size and SHA-256 its writer
    /// recorded; takes no lock, so a reader may check a folder a sweep is writing.
    /// </summary>
    public static bool Verify(string directory, StoredFile file, out string problem)
    {
        var path = Path.Combine(directory, file.File);
        var info = new FileInfo(path);
        problem = !info.Exists ? "missing"
            : info.LinkTarget is not null ? "a symbolic link"
            : info.Length != file.Bytes ? $"{Journal.Describe(info.Length)}, recorded {Journal.Describe(file.Bytes)}"
            : "";
        if (problem.Length > 0)
        {
            return false;
        }

        StoredFiles.Check(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var hash = Journal.Hex(SHA256.HashData(stream));
        problem = hash == file.Sha256 ? "" : $"its SHA-256 is {hash[..12]}..., recorded {file.Prefix}...";
        return problem.Length == 0;
    }

    public void Dispose()
    {
        journal.Dispose();
        TryDelete(Path.Combine(Hidden, $"holder-{Owner}"));
        ownerLock.Dispose();
        folderLock.Dispose();
    }

    private static string Busy(string directory, string hidden, string who)
    {
        var holders = System.IO.Directory.Exists(hidden)
            ? System.IO.Directory.GetFiles(hidden, "holder-*").Select(TryRead).Where(t => t.Length > 0).ToList()
            : [];
        return $"{who} is using {directory}{(holders.Count > 0 ? $" ({string.Join("; ", holders)})" : "")}; wait for it to finish or stop it";
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>
    /// Who holds the lock goes in a file beside it (the lock itself is not readable while held), written whole.
    /// </summary>
    private void WriteHolder()
    {
        System.IO.Directory.CreateDirectory(Temporaries);
        var temp = Path.Combine(Temporaries, Guid.NewGuid().ToString("N") + ".tmp");
        using (var file = Posix.CreateNew(temp))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Owner}: pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:O}"));
        }

        File.Move(temp, Path.Combine(Hidden, $"holder-{Owner}"), overwrite: true);
    }

    /// <summary>
    /// Whatever a killed process of this writer left half-written: it is ours (we hold the lock), and never part of the
    /// results.
    /// </summary>
    private void ClearTemporaries()
    {
        foreach (var file in System.IO.Directory.GetFiles(Temporaries))
        {
            TryDelete(file);
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary file we cannot delete is harmless: it sits in the hidden area, never read as a result.
        }
    }
}

/// <summary>The results folder is in use by another process.</summary>
internal sealed class StoreBusyException(string message) : IOException(message);

/// <summary>A write-only stream that hashes and counts what passes through it.</summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => length;

    public override long Position { get => length; set => throw new NotSupportedException(); }

    public byte[] Hash() => hash.GetHashAndReset();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        length += buffer.Length;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        length += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
