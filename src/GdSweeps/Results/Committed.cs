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

    /// <summary>
    /// The table's parts stored so far, by batch: every pair whose journal records (any writer's, so every shard's)
    /// match the files in place. Reads the journals and the parts only; takes no lock.
    /// </summary>
    public static List<CommittedPart> SoFar(string directory)
    {
        var recorded = Journal.Read(Path.Combine(directory, ResultFolder.HiddenFolder));
        var parts = new List<CommittedPart>();
        foreach (var (name, runs) in recorded)
        {
            if (RunsPartName().Match(name) is not { Success: true } match
                || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var batch)
                || !recorded.TryGetValue(Parts.CurvesPart(batch), out var curves))
            {
                continue;
            }

            if (ResultFolder.Verify(directory, runs, out _) && ResultFolder.Verify(directory, curves, out _))
            {
                parts.Add(new CommittedPart(runs, curves, batch));
            }
        }

        parts.Sort((a, b) => a.Batch.CompareTo(b.Batch));
        return parts;
    }

    [GeneratedRegex(@"^runs/part-(\d{6})\.parquet$")]
    private static partial Regex RunsPartName();
}
