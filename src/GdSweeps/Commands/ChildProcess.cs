using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GdSweeps.Commands;

/// <summary>
/// A command started in a process group of its own, so that stopping it stops everything it started too, and so that
/// Ctrl-C at the terminal reaches the tool (which then stops its children) rather than every child at once.
/// </summary>
/// <remarks>
/// .NET cannot set a child's process group, so the child is started through util-linux's <c>setsid</c>, which makes
/// it the leader of a new session and group and then runs the program in its place (same process id). Without
/// <c>setsid</c> the child stays in the tool's group and is stopped with its descendants one by one. Every live group
/// is also stopped when the tool exits, however it exits short of SIGKILL.
/// </remarks>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>
    /// How often a wait looks at what could end it besides the child's exit (a stop, a timeout): well under a human's
    /// notice.
    /// </summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How long a child gets to end after SIGTERM before SIGKILL.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
    private static readonly ConcurrentDictionary<ChildProcess, byte> Live = new();

    private readonly Process process;
    private readonly bool ownGroup;
    private int stopped;

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    private ChildProcess(Process process, bool ownGroup)
    {
        this.process = process;
        this.ownGroup = ownGroup;
    }

    public int Id => process.Id;

    public Stream StandardOutput => process.StandardOutput.BaseStream;

    public Stream StandardError => process.StandardError.BaseStream;

    /// <summary>
    /// Bytes waiting unread in the child's stderr pipe (FIONREAD); null when it cannot be told (the pipe closed).
    /// </summary>
    public int? StderrWaiting()
    {
        if (StandardError is not System.IO.Pipes.PipeStream { SafePipeHandle: { IsClosed: false } handle })
        {
            return null;
        }

        return Ioctl(handle, FionRead, out var waiting) == 0 ? waiting : null;
    }

    public bool HasExited => process.HasExited;

    /// <summary>The exit status: the program's, or 128 + n when signal n ended it.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>
    /// What the tool writes to the child's stdin (a worker's runs), one line at a time, flushed; null when stdin is
    /// empty.
    /// </summary>
    public StreamWriter? StandardInput { get; private set; }

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="arguments"/> (no shell), in <paramref name="directory"/>,
    /// with exactly <paramref name="environment"/>; stdin is empty unless <paramref name="input"/>, when it is
    /// <see cref="StandardInput"/>.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started.</exception>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, string directory, IEnumerable<KeyValuePair<string, string>> environment, bool input = false)
    {
        var ownGroup = Setsid is not null && !OperatingSystem.IsWindows();
        var info = new ProcessStartInfo(ownGroup ? Setsid! : program)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        if (ownGroup)
        {
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var child = new ChildProcess(process, ownGroup);
        Live[child] = 0;
        if (input)
        {
            process.StandardInput.AutoFlush = true;
            process.StandardInput.NewLine = "\n";
            child.StandardInput = process.StandardInput;
        }
        else
        {
            process.StandardInput.Close();
        }

        return child;
    }

    /// <summary>
    /// Waits for the child to end, at most <paramref name="timeout"/> (forever when null), or until one of
    /// <paramref name="stops"/> is set; true when it ended.
    /// </summary>
    /// <remarks>
    /// Polls rather than waiting on the process's Exited event: that event is raised on a thread-pool thread, and while
    /// every worker of a sweep blocks on its own child none may be free to raise it.
    /// </remarks>
    public bool Wait(TimeSpan? timeout, params WaitHandle[] stops)
    {
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(Poll))
        {
            if ((stops.Length > 0 && WaitHandle.WaitAny(stops, 0) != WaitHandle.WaitTimeout) || (timeout is { } limit && clock.Elapsed >= limit))
            {
                return process.HasExited;
            }
        }

        return true;
    }

    /// <summary>
    /// Stops the child and its group: SIGTERM, then SIGKILL after a grace period; returns when the child has ended.
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1 && process.HasExited)
        {
            return;
        }

        if (!process.HasExited)
        {
            Signal(SigTerm);
            if (!process.WaitForExit(Grace))
            {
                Signal(SigKill);
                process.WaitForExit();
            }
        }

        // What the child left running in its group (a worker it spawned) goes with it.
        Signal(SigKill);
    }

    /// <summary>Closes the tool's ends of the child's output pipes: a reader blocked on them ends.</summary>
    public void CloseOutput()
    {
        try
        {
            process.StandardOutput.BaseStream.Dispose();
            process.StandardError.BaseStream.Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already closed.
        }
    }

    public void Dispose()
    {
        Live.TryRemove(this, out _);
        process.Dispose();
    }

    /// <summary>Stops every live child at once: the tool is exiting (a second Ctrl-C, or its end).</summary>
    public static void StopAll()
    {
        foreach (var child in Live.Keys)
        {
            child.Signal(SigKill);
        }

        ProcessTree.StopAllLive();
    }

    private void Signal(int signal)
    {
        try
        {
            if (ownGroup)
            {
                _ = Kill(-process.Id, signal);
            }
            else if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It ended between the check and the signal.
        }
    }

    private const nuint FionRead = 0x541B;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeHandle fd, nuint request, out int value);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
