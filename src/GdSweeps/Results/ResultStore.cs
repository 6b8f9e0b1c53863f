using System.Globalization;
using GdSweeps.Grid;
using GdSweeps.Running;
using GdSweeps.Training;

namespace GdSweeps.Results;

/// <summary>
/// A sweep's results folder as the runner sees it: a lock held while running, and finished runs stored durably in
/// whole parts (<c>parts/runs-*.parquet</c> with their <c>parts/curves-*.parquet</c>), so a crash loses at most the
/// batch being computed and a rerun finds what is done by run id.
/// </summary>
public sealed class ResultStore : IDisposable, IBatchSink
{
    public const string PartsFolder = "parts";

    private readonly FileStream lockFile;
    private readonly string session = DateTime.UtcNow.Ticks.ToString("x", CultureInfo.InvariantCulture);
    private int sequence;

    private ResultStore(string directory, string owner, FileStream lockFile)
    {
        Directory = directory;
        Owner = owner;
        this.lockFile = lockFile;
    }

    public string Directory { get; }

    /// <summary><c>main</c>, or <c>shard-K-of-N</c>: the writer whose parts and lock these are.</summary>
    public string Owner { get; }

    public string PartsDirectory => Path.Combine(Directory, PartsFolder);

    /// <summary>Opens <paramref name="directory"/> for writing by <paramref name="owner"/>, holding its lock until disposed.</summary>
    /// <exception cref="StoreBusyException">Another live process holds the lock.</exception>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static ResultStore Open(string directory, string owner = "main")
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, PartsFolder));
        var lockPath = Path.Combine(directory, $".lock-{owner}");
        FileStream lockFile;
        try
        {
            // FileShare.None takes an OS lock (flock on Unix) that dies with the process: a crash never leaves it stuck.
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            var holder = ReadHolder(lockPath);
            throw new StoreBusyException($"another gdsweeps run ({holder}) is writing to {directory}; wait for it to finish or stop it");
        }

        // The lock itself cannot be read by others while held, so who holds it goes in a file beside it.
        File.WriteAllText(lockPath + ".holder", string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:O}"));
        var store = new ResultStore(directory, owner, lockFile);
        store.RemoveStaleTemporaries();
        return store;
    }

    /// <summary>The runs parts in the folder, by any owner, in name order.</summary>
    public static IReadOnlyList<string> RunParts(string directory)
    {
        var parts = Path.Combine(directory, PartsFolder);
        return System.IO.Directory.Exists(parts)
            ? System.IO.Directory.GetFiles(parts, "runs-*.parquet").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>The curves part that goes with a runs part.</summary>
    public static string CurvesPartOf(string runsPart) =>
        Path.Combine(Path.GetDirectoryName(runsPart)!, "curves-" + Path.GetFileName(runsPart)["runs-".Length..]);

    /// <summary>Stores one batch: the curves part, then the runs part, each whole. A runs part on disk means its runs are done.</summary>
    public async Task WriteAsync(IReadOnlyList<RunSpec> runs, IReadOnlyList<RunOutcome> outcomes, CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Owner}-{session}-{sequence++:D6}.parquet");
        var curves = CurveColumns.Rows(runs, outcomes);
        await AtomicFile.WriteAsync(Path.Combine(PartsDirectory, "curves-" + name), s => CurvesFile.Table.WriteAsync(s, curves, ct, CurvesFile.RowGroupRows), ct);
        var rows = runs.Select((r, i) => new RunResult(r, outcomes[i])).ToArray();
        await AtomicFile.WriteAsync(Path.Combine(PartsDirectory, "runs-" + name), s => RunsFile.Table.WriteAsync(s, rows, ct), ct);
    }

    /// <summary>The status of every stored run, read from the parts' id and status columns only.</summary>
    public static async Task<StoredRuns> StoredStatusesAsync(string directory, CancellationToken ct)
    {
        var stored = new StoredRuns();
        foreach (var part in RunParts(directory))
        {
            foreach (var (id, status) in await RunsFile.ReadIdsAsync(part, ct))
            {
                stored.Add(id, status);
            }
        }

        return stored;
    }

    public void Dispose()
    {
        var path = lockFile.Name;
        AtomicFile.TryDelete(path + ".holder");
        AtomicFile.TryDelete(path);
        lockFile.Dispose();
    }

    private void RemoveStaleTemporaries()
    {
        foreach (var file in System.IO.Directory.GetFiles(PartsDirectory, $"*-{Owner}-*.tmp-*"))
        {
            var pid = file[(file.LastIndexOf(".tmp-", StringComparison.Ordinal) + 5)..];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !ProcessAlive(id))
            {
                AtomicFile.TryDelete(file);
            }
        }
    }

    private static bool ProcessAlive(int pid) =>
        pid == Environment.ProcessId || (OperatingSystem.IsLinux() ? System.IO.Directory.Exists($"/proc/{pid}") : true);

    private static string ReadHolder(string lockPath)
    {
        try
        {
            var text = File.ReadAllText(lockPath + ".holder").Trim();
            return text.Length > 0 ? text : "unknown process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown process";
        }
    }
}

/// <summary>The results folder is being written by another process.</summary>
public sealed class StoreBusyException(string message) : IOException(message);
