using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GdSweeps.Results;

/// <summary>
/// The few POSIX calls .NET does not expose: opening a file without following a symbolic link, advisory locks that
/// die with the process, and syncing a folder so a rename is durable.
/// </summary>
internal static partial class Posix
{
    private const int ReadOnly = 0x0, WriteOnly = 0x1, ReadWrite = 0x2, Create = 0x40, Exclusive = 0x80, Append = 0x400;
    private const int Directory = 0x10000, NoFollow = 0x20000, CloseOnExec = 0x80000, NonBlocking = 0x800;
    private const int LockShared = 1, LockExclusive = 2, NoBlock = 4;

    /// <summary>Creates a new file for writing; fails if anything (a file or a link) is there already.</summary>
    public static FileStream CreateNew(string path) =>
        new(Open(path, WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, 0x1a4 /* 0644 */), FileAccess.Write, 1 << 16);

    /// <summary>Opens a file for appending, creating it if missing; refuses a symbolic link, and anything but a regular file.</summary>
    public static FileStream OpenAppend(string path) =>
        new(Regular(path, Open(path, WriteOnly | Create | Append | NoFollow | CloseOnExec | NonBlocking, 0x1a4)), FileAccess.Write, 1 << 12);

    /// <summary>Opens (creating) a lock file; refuses a symbolic link, and anything but a regular file.</summary>
    public static SafeFileHandle OpenLock(string path) => Regular(path, Open(path, ReadWrite | Create | NoFollow | CloseOnExec | NonBlocking, 0x1a4));

    /// <summary>
    /// The handle, when it is a regular file: opened without blocking (a FIFO with no reader would wait for one), it is
    /// checked before anything is written; anything else is refused.
    /// </summary>
    private static SafeFileHandle Regular(string path, SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows() || Data.FileKind.What(path) is null or "file")
        {
            return handle;
        }

        handle.Dispose();
        throw new IOException($"{path} is {Data.FileKind.What(path)}, not a file GdSweeps wrote: remove it, then run again");
    }

    /// <summary>
    /// Takes an advisory lock on the whole file without waiting: shared (many holders) or exclusive; false when another
    /// process holds a conflicting one.
    /// </summary>
    public static bool TryLock(SafeFileHandle handle, bool shared)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        if (Flock(handle, (shared ? LockShared : LockExclusive) | NoBlock) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is 11 /* EWOULDBLOCK */ ? false : throw new IOException($"cannot lock {handle}: error {errno}");
    }

    /// <summary>
    /// Starts writing a file's data to the disk without waiting (Linux's <c>sync_file_range</c>), so its later fsync
    /// finds little left to do; elsewhere, and where the call fails, nothing: the fsync does it all.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(file, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE */);
        }
    }

    /// <summary>
    /// Makes a written file's data durable, through a descriptor opened for it (never through a link); then, on Linux,
    /// lets its pages go from the page cache: a sweep's parts are written once and rarely read soon, and the ten
    /// million's 6.4 GB kept there made the kernel find fresh memory for every write (29-30 s with them let go, 35-36 s
    /// kept).
    /// </summary>
    public static void SyncFile(string path)
    {
        using var handle = Open(path, ReadOnly | NoFollow | CloseOnExec, 0);
        if (!OperatingSystem.IsWindows() && FSync(handle) != 0)
        {
            throw new IOException($"cannot sync {path}: error {Marshal.GetLastPInvokeError()}");
        }

        if (OperatingSystem.IsLinux())
        {
            _ = FAdvise(handle, 0, 0, 4 /* POSIX_FADV_DONTNEED */);
        }
    }

    /// <summary>Makes a rename in <paramref name="folder"/> durable.</summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var handle = Open(folder, ReadOnly | Directory | CloseOnExec, 0);
        _ = FSync(handle);
    }

    private static SafeFileHandle Open(string path, int flags, int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            var fileMode = (flags & Exclusive) != 0 ? FileMode.CreateNew : (flags & Append) != 0 ? FileMode.Append : FileMode.OpenOrCreate;
            return File.OpenHandle(path, fileMode, (flags & 0x3) == ReadOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.ReadWrite);
        }

        var fd = OpenNative(path, flags, mode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                17 => new IOException($"{path} already exists"),
                40 => new IOException($"{path} is a symbolic link; GdSweeps does not write through links"),
                6 => new IOException($"{path} is a FIFO with no reader, not a file GdSweeps wrote: remove it, then run again"),
                13 or 1 => new UnauthorizedAccessException($"permission denied: {path}"),
                28 => new IOException($"no space left on the device writing {path}"),
                _ => new IOException($"cannot open {path}: error {errno}"),
            };
        }

        return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int FAdvise(SafeFileHandle fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(SafeFileHandle fd);
}
