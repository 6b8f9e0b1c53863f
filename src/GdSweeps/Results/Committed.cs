using System.Globalization;
using System.Text.RegularExpressions;

namespace GdSweeps.Results;

/// <summary>One pair of the table's parts as a reader found it committed: its runs and curves files, by batch.</summary>
internal sealed record CommittedPart(StoredFile Runs, StoredFile Curves, int Batch);

/// <summary>
/// The table's parts a reader may use without the writer's lock (report, export, compare): a finished sweep's from its
/// manifest; a running, interrupted or sharded sweep's those whose journal record is complete and matches the file in
/// place. A writer appends a part's record before renaming it into place, so a part recorded but not yet in place (or
/// being replaced) does not match its record and is left out until it does.
/// </summary>
internal static partial class Committed
{
    /// <summary>The table's parts of a finished sweep, by batch, each checked against the manifest's record.</summary>
    /// <exception cref="InvalidDataException">A part the manifest names is missing or damaged.</exception>
    public static List<CommittedPart> Finished(string directory, Manifest manifest)
    {
        var files = manifest.Files.ToDictionary(f => f.File, StringComparer.Ordinal);
        var parts = new List<CommittedPart>();
        for (var b = 0; files.TryGetValue(Parts.RunsPart(b), out var runs); b++)
        {
            var curves = files.GetValueOrDefault(Parts.CurvesPart(b)) ?? throw new InvalidDataException($"{Parts.CurvesPart(b)} is not in the manifest: rerun the sweep");
            foreach (var file in new[] { runs, curves })
            {
                if (!ResultFolder.Verify(directory, file, out var problem))
                {
                    throw new InvalidDataException($"{file.File} failed its check ({problem}): rerun the sweep to compute its runs again");
                }
            }

            parts.Add(new CommittedPart(runs, curves, b));
        }

        return parts;
    }

    /// <summary>What an unfinished sweep's folder holds so far.</summary>
    /// <param name="Table">The table's parts (<c>runs/</c>), by batch.</param>
    /// <param name="Kept">Parts kept for reuse (<c>.gdsweeps/reuse/</c>): the finished runs of a part an interruption
    /// cut short, and runs an earlier config asked for.</param>
    /// <param name="Damaged">Parts whose file has not matched its record for longer than a write takes: damaged, each
    /// with why.</param>
    internal sealed record Stored(List<CommittedPart> Table, List<CommittedPart> Kept, List<string> Damaged);

    /// <summary>
    /// A record's file may differ from it for as long as its writer takes between appending the record and renaming the
    /// file into place (milliseconds); past this, the file is damaged.
    /// </summary>
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The parts stored so far: every pair whose journal records (any writer's, so every shard's) match the files in
    /// place. Reads the journals and the parts only; takes no lock.
    /// </summary>
    /// <param name="verified">Files checked before, with their size and time of change then: one whose record and
    /// file are unchanged is not hashed again (a running sweep's live report checks each part once). Files checked now
    /// are added.</param>
    public static Stored SoFar(string directory, Dictionary<string, Verified>? verified = null)
    {
        var recorded = Journal.Read(Path.Combine(directory, ResultFolder.HiddenFolder));
        var (table, kept, damaged) = (new List<CommittedPart>(), new List<CommittedPart>(), new List<string>());
        var now = Journal.Now();
        foreach (var (name, runs) in recorded)
        {
            string curvesName;
            var batch = -1;
            if (RunsPartName().Match(name) is { Success: true } match && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out batch))
            {
                curvesName = Parts.CurvesPart(batch);
            }
            else if (name.StartsWith(ReusePrefix, StringComparison.Ordinal) && name.EndsWith(".parquet", StringComparison.Ordinal))
            {
                curvesName = ReusePrefix.Replace("/runs-", "/curves-", StringComparison.Ordinal) + name[ReusePrefix.Length..];
            }
            else
            {
                continue;
            }

            if (!recorded.TryGetValue(curvesName, out var curves))
            {
                continue;
            }

            var problem = "";
            var whole = Check(directory, runs, verified, out problem) && Check(directory, curves, verified, out problem);
            if (whole)
            {
                (batch >= 0 ? table : kept).Add(new CommittedPart(runs, curves, batch));
            }
            else if (now - Math.Max(runs.Written, curves.Written) > Settled.Ticks)
            {
                damaged.Add($"{name} failed its check ({problem})");
            }
        }

        table.Sort((a, b) => a.Batch.CompareTo(b.Batch));
        kept.Sort((a, b) => string.CompareOrdinal(a.Runs.File, b.Runs.File));
        return new Stored(table, kept, damaged);
    }

    /// <summary>A file found to match its record, and its size and time of change when it did.</summary>
    internal sealed record Verified(StoredFile Record, long Bytes, DateTime Changed)
    {
        public static Verified? Of(string directory, StoredFile record)
        {
            var info = new FileInfo(Path.Combine(directory, record.File));
            return info.Exists && info.LinkTarget is null ? new Verified(record, info.Length, info.LastWriteTimeUtc) : null;
        }
    }

    /// <summary><see cref="ResultFolder.Verify"/>, unless the file and its record are as when it last passed.</summary>
    private static bool Check(string directory, StoredFile file, Dictionary<string, Verified>? verified, out string problem)
    {
        if (verified is not null && verified.TryGetValue(file.File, out var before) && before.Record == file && Verified.Of(directory, file) == before)
        {
            problem = "";
            return true;
        }

        if (!ResultFolder.Verify(directory, file, out problem))
        {
            return false;
        }

        if (verified is not null && Verified.Of(directory, file) is { } now)
        {
            verified[file.File] = now;
        }

        return true;
    }

    private static readonly string ReusePrefix = ResultFolder.ReuseFolder.Replace('\\', '/') + "/runs-";

    [GeneratedRegex(@"^runs/part-(\d{6})\.parquet$")]
    private static partial Regex RunsPartName();
}
