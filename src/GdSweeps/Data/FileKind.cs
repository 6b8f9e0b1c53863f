using System.Runtime.InteropServices;

namespace GdSweeps.Data;

/// <summary>Whether a path names a regular file, asked of the OS without opening it.</summary>
/// <remarks>
/// Opening a FIFO for reading blocks until something writes to it, and a device such as <c>/dev/zero</c> never ends, so
/// a data file is checked before it is opened. .NET 10 has no managed way to see a file's type (its attributes call a
/// FIFO a normal file), so this asks Linux's <c>statx</c>, whose layout is the same on every architecture.
/// </remarks>
internal static partial class FileKind
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>
    /// The SHA-256 of a regular file's contents, in lower-case hex; null when it is not a regular file or cannot be
    /// read (never blocking on a FIFO).
    /// </summary>
    public static string? Sha256(string path)
    {
        try
        {
            if (IsRegular(path) == false)
            {
                return null;
            }

            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// True for a regular file (after following links), false for anything else; null where the OS cannot say.
    /// </summary>
    public static bool? IsRegular(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0 || (BitConverter.ToUInt32(buffer, 0) & StatxType) == 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) == Regular;
    }

    /// <summary>
    /// What says a file changed, asked of the OS without opening it (links followed): its device and inode (a file moved
    /// over it is another), size, and change time (set by the kernel on every write, rename or attribute change; no
    /// user can set it back). Null where the OS cannot say.
    /// </summary>
    public static FileStamp? Stamp(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, BasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        return new FileStamp(
            BitConverter.ToUInt32(buffer, 136), BitConverter.ToUInt32(buffer, 140), BitConverter.ToUInt64(buffer, 32), BitConverter.ToUInt64(buffer, 40),
            BitConverter.ToInt64(buffer, 96), BitConverter.ToUInt32(buffer, 104), BitConverter.ToInt64(buffer, 112), BitConverter.ToUInt32(buffer, 120));
    }

    /// <summary>
    /// What <paramref name="path"/> itself is, its link not followed: a regular file, a link, a folder, something else
    /// (a FIFO, a device, a socket), or nothing; null where the OS cannot say.
    /// </summary>
    public static string? What(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, NoFollow, StatxType, buffer) != 0)
            {
                return Marshal.GetLastPInvokeError() == NoEntry ? "missing" : null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) switch
        {
            Regular => "file",
            0xA000 => "a symbolic link",
            0x4000 => "a folder",
            0x1000 => "a FIFO",
            0x2000 or 0x6000 => "a device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }

    private const int NoFollow = 0x100;
    private const int NoEntry = 2;

    /// <summary><c>STATX_BASIC_STATS</c>: type and mode, links, owner, inode, size, blocks, times.</summary>
    private const uint BasicStats = 0x7ff;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}

/// <summary>A file's identity and last change as the kernel keeps them: equal stamps, the same unchanged file.</summary>
internal readonly record struct FileStamp(uint DevMajor, uint DevMinor, ulong Inode, ulong Size, long ChangeSeconds, uint ChangeNanos, long ModifySeconds, uint ModifyNanos);
