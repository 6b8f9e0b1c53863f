using GdSweeps.Grid;

namespace GdSweeps.Commands;

/// <summary>
/// The tool's scratch area for command runs, outside the results folder: the copies of the data that children read,
/// each attempt's own working directory (its HOME and TMPDIR), and each run's log while it is written. Removed when
/// the sweep ends.
/// </summary>
/// <remarks>
/// A child is never handed a path inside the results folder: its data is a copy, its working directory is here, and
/// its output reaches the results only as the lines the tool reads and stores (its log), so nothing it does can
/// change a stored file (and the tool's checksums would find it if something else did).
/// </remarks>
internal sealed class Workspace : IDisposable
{
    private Workspace(string root)
    {
        Root = root;
        Directory.CreateDirectory(DataFolder);
        Directory.CreateDirectory(LogFolder);
        Directory.CreateDirectory(AttemptsFolder);
    }

    public string Root { get; }

    public string DataFolder => Path.Combine(Root, "data");

    private string LogFolder => Path.Combine(Root, "logs");

    private string AttemptsFolder => Path.Combine(Root, "runs");

    /// <summary>A new, empty scratch area under the system's temporary folder, readable by this user only.</summary>
    public static Workspace Create()
    {
        AppDomain.CurrentDomain.ProcessExit -= RemoveLive;
        AppDomain.CurrentDomain.ProcessExit += RemoveLive;
        var root = Path.Combine(Path.GetTempPath(), $"gdsweeps-{Environment.ProcessId}-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(root);
        }
        else
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var workspace = new Workspace(root);
        Live[workspace] = 0;
        return workspace;
    }

    /// <summary>The scratch areas in use: the tool removes them when it exits, however it exits short of SIGKILL.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Workspace, byte> Live = new();

    private static void RemoveLive(object? sender, EventArgs e)
    {
        foreach (var workspace in Live.Keys)
        {
            workspace.Dispose();
        }
    }

    /// <summary>
    /// A copy of <paramref name="source"/> in the data folder, read-only, named <paramref name="name"/>.
    /// </summary>
    public string AddData(string source, string name)
    {
        var target = Path.Combine(DataFolder, name);
        File.Copy(source, target, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return target;
    }

    /// <summary>A fresh working directory for one attempt of a run.</summary>
    public string AttemptFolder(RunId run, int attempt)
    {
        var folder = Path.Combine(AttemptsFolder, $"{run}-{attempt}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A worker's own folder (its HOME and TMPDIR), made fresh when a worker starts in slot <paramref name="slot"/>.</summary>
    public string WorkerFolder(int slot)
    {
        var folder = Path.Combine(Root, "workers", slot.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Remove(folder);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Where run <paramref name="run"/>'s log is written while it runs.</summary>
    public string LogPath(RunId run) => Path.Combine(LogFolder, $"{run}.log");

    /// <summary>Removes an attempt's working directory and whatever the child left in it.</summary>
    public static void Remove(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind in the scratch area, which goes when the sweep ends; never part of the results.
        }
    }

    public void Dispose()
    {
        Live.TryRemove(this, out _);
        if (!OperatingSystem.IsWindows() && Directory.Exists(DataFolder))
        {
            foreach (var file in Directory.GetFiles(DataFolder))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        Remove(Root);
    }
}
