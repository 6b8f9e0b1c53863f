using System.Text.RegularExpressions;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Reliability;

/// <summary>
/// A part survives a power loss: the real sweep's system calls, traced by strace, follow the commit protocol of
/// <c>ResultFolder.WriteAsync</c> for every part. A kill cannot show this (the kernel keeps what a killed process
/// wrote, synced or not); only the order of the syncs can.
/// </summary>
/// <remarks>
/// The protocol: the part is written under a temporary name in <c>.gdsweeps/tmp-main/</c> and synced; then the
/// journal record naming it (its size and SHA-256) is appended and synced; then it is renamed into place and its
/// folder synced (a folder made for it synced into its parent first). Readers trust a file only when it matches its
/// record, so a record whose rename was lost only means the part is computed again, while a part in place is always
/// whole and recorded. The finished sweep's manifest, which names every part, comes after all of it.
/// </remarks>
[TestClass]
[TestCategory(TestTiers.Process)]
public sealed partial class DurabilityOrderTests
{
    private const string Traced = "openat,write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,rename,renameat,renameat2,mkdir,mkdirat,close";

    [TestMethod]
    public void Every_part_is_synced_then_recorded_then_renamed_and_its_folder_synced_before_the_sweep_completes()
    {
        var work = Some.TempDir();
        File.WriteAllText(Path.Combine(work, "seed.yaml"), Some.SeedYaml);
        var results = Path.Combine(work, "out");
        var traceFile = Path.Combine(work, "strace.txt");

        // -yy prints each descriptor with its file (threads share descriptors, and an await resumes on any thread);
        // -s 256 keeps a journal record whole.
        var run = Processes.Run(
            "strace",
            ["-f", "-yy", "-s", "256", "-e", $"trace={Traced}", "-o", traceFile,
             "dotnet", CliProcess.Dll, "run", "seed.yaml", "--out", results, "--runs-per-part", "50", "--quiet"],
            workingDirectory: work);

        Assert.AreEqual(0, run.ExitCode, run.Stderr);
        var trace = Trace.Read(traceFile, work);
        var parts = new[] { "runs", "curves" }
            .SelectMany(table => Directory.GetFiles(Path.Combine(results, table), "*.parquet").Select(f => $"{table}/{Path.GetFileName(f)}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.HasCount(16, parts, "eight batches of 50 runs: a runs and a curves part each");
        var problems = parts.Select(part => Problem(trace, results, part)).OfType<string>().ToList();
        Assert.IsEmpty(problems, $"parts not durable before they are named (line numbers in {traceFile}):\n{string.Join("\n", problems)}");
    }

    /// <summary>What in the trace breaks the protocol for <paramref name="part"/>; null when nothing does.</summary>
    private static string? Problem(Trace trace, string results, string part)
    {
        var final = Path.Combine(results, part);
        var renames = trace.Renames.Where(r => r.To == final).ToList();
        if (renames.Count != 1)
        {
            return $"{part}: renamed into place {renames.Count} times, not once";
        }

        var (rename, temp) = (renames[0].Call, renames[0].From);
        if (!temp.StartsWith(Path.Combine(results, ".gdsweeps", "tmp-main") + "/", StringComparison.Ordinal))
        {
            return $"{part}: renamed from {temp}, not from a temporary file in .gdsweeps/tmp-main/";
        }

        // An open descriptor shows the file's new name once it is renamed.
        string[] names = [temp, final];
        var writes = trace.Calls.Where(c => c.IsWrite && names.Contains(c.File)).ToList();
        if (writes.Count == 0)
        {
            return $"{part}: nothing was written to its temporary file {temp}";
        }

        if (writes.FirstOrDefault(w => w.End > rename.Start) is { } late)
        {
            return $"{part}: written (line {late.Start}) after its rename (line {rename.Start})";
        }

        var lastWrite = writes.Max(w => w.End);
        var dataSync = trace.Syncs(names).FirstOrDefault(s => s.Start > lastWrite);
        if (dataSync is null)
        {
            return $"{part}: its data was never synced after its last write (line {lastWrite}) to {temp}";
        }

        var records = trace.Records.Where(r => r.File == part).ToList();
        if (records.Count != 1)
        {
            return $"{part}: named by {records.Count} journal records, not one";
        }

        var record = records[0].Call;
        if (record.Start < dataSync.End)
        {
            return $"{part}: the journal named it (line {record.Start}) before its data was synced (fsync of {temp}, line {dataSync.End})";
        }

        if (record.Start > rename.Start)
        {
            return $"{part}: renamed into place (line {rename.Start}) before the journal recorded it (line {record.Start})";
        }

        var journalSync = trace.Syncs([record.File!]).FirstOrDefault(s => s.Start > record.End);
        if (journalSync is null || journalSync.End > rename.Start)
        {
            return $"{part}: renamed into place (line {rename.Start}) before the journal's record of it (line {record.Start}) was synced"
                + (journalSync is null ? " (never)" : $" (line {journalSync.End})");
        }

        var folder = Path.GetDirectoryName(final)!;
        var parent = Path.GetDirectoryName(folder)!;
        if (trace.Made(folder) is { } made && !trace.Syncs([parent]).Any(s => s.Start > made.End && s.End < rename.Start))
        {
            return $"{part}: its folder {folder} was made (line {made.Start}) but {parent} was not synced before the part was renamed into it (line {rename.Start}): a power loss can lose the folder with the part";
        }

        var folderSync = trace.Syncs([folder]).FirstOrDefault(s => s.Start > rename.End);
        if (folderSync is null)
        {
            return $"{part}: its folder {folder} was never synced after its rename (line {rename.End})";
        }

        var manifest = trace.Renames.Last(r => r.To == Path.Combine(results, "manifest.json")).Call;
        return folderSync.End < manifest.Start ? null
            : $"{part}: the finished sweep's manifest.json was put in place (line {manifest.Start}) before the rename of the part was synced (line {folderSync.End})";
    }

    /// <summary>
    /// One system call: its name, its arguments as strace printed them, its result, and the (1-based) lines of the
    /// trace where it started and where it returned. A call that started before another's return line started after
    /// that call had returned.
    /// </summary>
    private sealed partial record Call(string Name, string Arguments, string Result, int Start, int End)
    {
        /// <summary>The file of the call's first argument, a descriptor that -yy printed with its path.</summary>
        public string? File => DescriptorPath().Match(Arguments) is { Success: true } m ? m.Groups[1].Value : null;

        public bool Succeeded => !Result.StartsWith('-') && !Result.StartsWith('?');

        public bool IsWrite => Succeeded && Name is "write" or "pwrite64" or "writev" or "pwritev" or "pwritev2";

        public bool IsSync => Result == "0" && Name is "fsync" or "fdatasync";

        /// <summary>The quoted strings of the arguments (paths, data), unescaped only as far as a path needs.</summary>
        public List<string> Strings => [.. QuotedString().Matches(Arguments).Select(m => m.Groups[1].Value)];

        [GeneratedRegex(@"^\d+<([^>]*)>")]
        private static partial Regex DescriptorPath();

        [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
        private static partial Regex QuotedString();
    }

    /// <summary>The calls of a trace written by <c>strace -f -yy -o FILE</c>, in the order they started.</summary>
    private sealed partial class Trace
    {
        private Trace(List<Call> calls, string work)
        {
            Calls = calls;
            Renames = [.. calls.Where(c => c.Name.StartsWith("rename", StringComparison.Ordinal) && c.Result == "0")
                .Select(c => (c, c.Strings))
                .Select(x => (x.c, Path.GetFullPath(x.Strings[0], work), Path.GetFullPath(x.Strings[1], work)))];
            Records = [.. calls.Where(c => c.IsWrite && c.File is { } f && JournalName().IsMatch(f))
                .SelectMany(c => RecordedFile().Matches(c.Arguments).Select(m => (c, m.Groups[1].Value)))];
            Dirs = [.. calls.Where(c => c.Name is "mkdir" or "mkdirat" && c.Result == "0").Select(c => (c, Path.GetFullPath(c.Strings[0], work)))];
        }

        public List<Call> Calls { get; }

        public List<(Call Call, string From, string To)> Renames { get; }

        /// <summary>Each journal record written: the call and the file it names.</summary>
        public List<(Call Call, string File)> Records { get; }

        private List<(Call Call, string Path)> Dirs { get; }

        /// <summary>The successful fsyncs and fdatasyncs of descriptors of <paramref name="files"/>, in order.</summary>
        public IEnumerable<Call> Syncs(string[] files) => Calls.Where(c => c.IsSync && files.Contains(c.File));

        /// <summary>The call that made the folder <paramref name="path"/>, when the traced process made it.</summary>
        public Call? Made(string path) => Dirs.FirstOrDefault(d => d.Path == path).Call;

        public static Trace Read(string path, string work)
        {
            var calls = new List<Call>();
            var started = new Dictionary<string, (string Name, string Arguments, int Line)>(); // by thread: a call not yet returned
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (Unfinished().Match(line) is { Success: true } u)
                {
                    started[u.Groups["pid"].Value] = (u.Groups["name"].Value, u.Groups["args"].Value, number);
                }
                else if (Resumed().Match(line) is { Success: true } r && started.Remove(r.Groups["pid"].Value, out var start))
                {
                    calls.Add(new Call(start.Name, start.Arguments + r.Groups["args"].Value, r.Groups["result"].Value, start.Line, number));
                }
                else if (Complete().Match(line) is { Success: true } c)
                {
                    calls.Add(new Call(c.Groups["name"].Value, c.Groups["args"].Value, c.Groups["result"].Value, number, number));
                }
            }

            calls.Sort((a, b) => a.Start.CompareTo(b.Start));
            return new Trace(calls, work);
        }

        [GeneratedRegex(@"^(?<pid>\d+) +(?<name>\w+)\((?<args>.*) <unfinished \.\.\.>$")]
        private static partial Regex Unfinished();

        [GeneratedRegex(@"^(?<pid>\d+) +<\.\.\. (?<name>\w+) resumed>(?<args>.*)\) += (?<result>\S+)")]
        private static partial Regex Resumed();

        [GeneratedRegex(@"^(?<pid>\d+) +(?<name>\w+)\((?<args>.*)\) += (?<result>\S+)")]
        private static partial Regex Complete();

        [GeneratedRegex(@"/\.gdsweeps/journal-[^/]+\.jsonl$")]
        private static partial Regex JournalName();

        [GeneratedRegex(@"\{\\""file\\"":\\""([^\\""]+)\\""")]
        private static partial Regex RecordedFile();
    }
}
