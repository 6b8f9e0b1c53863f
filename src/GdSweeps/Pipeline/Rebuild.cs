using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Plan;
using GdSweeps.Reports;
using GdSweeps.Results;
using Serilog;

namespace GdSweeps.Pipeline;

/// <summary>
/// <c>gdsweeps report</c>: the summaries and reports rebuilt from a finished folder's stored parts alone, each checked
/// first.
/// </summary>
internal static class Rebuild
{
    /// <summary>
    /// The folder holds no finished sweep to report on, or its data does not check; the message says why and what to
    /// do.
    /// </summary>
    public sealed class ReportException(string message, bool badInput = false) : Exception(message)
    {
        /// <summary>The folder is not a results folder at all (rather than an unfinished or damaged one).</summary>
        public bool BadInput { get; } = badInput;
    }

    /// <summary>
    /// Whether <paramref name="directory"/> holds a finished sweep (whose reports <see cref="ReportsAsync"/> rebuilds)
    /// rather than one running, interrupted or in shards not merged (which <see cref="PartialAsync"/> shows).
    /// </summary>
    /// <exception cref="ReportException">The folder holds no sweep, or its manifest is damaged.</exception>
    public static bool Finished(string directory)
    {
        var manifest = ReadManifest(Path.Combine(directory, Manifest.FileName));
        if (manifest is null && Shards(directory).Count == 0)
        {
            throw new ReportException($"{directory} holds no manifest.json: run the sweep (or merge its shards) first.", badInput: true);
        }

        return manifest is { State: "complete", GridParts: not null };
    }

    /// <summary>
    /// The reports of an unfinished sweep, from the parts committed so far, marked at the top with where it stands;
    /// reads the folder only (no lock, nothing written), so a running sweep goes on undisturbed.
    /// </summary>
    public static async Task<(string Markdown, string Html, PartialReport.Selection Selection)> PartialAsync(string directory, CancellationToken ct)
    {
        var (name, standing, members) = Unfinished(directory, ct);
        return await PartialReport.RenderAsync(directory, name, standing, members, ct);
    }

    /// <summary>
    /// An unfinished sweep's name, where it stands, and the runs and groups of its grid (from its config as the
    /// manifest keeps it, overrides applied), so parts of an earlier config not yet replaced are left out.
    /// </summary>
    public static (string Sweep, Standing Standing, PartialReport.Members Members) Unfinished(string directory, CancellationToken ct)
    {
        var manifest = ReadManifest(Path.Combine(directory, Manifest.FileName));
        var shards = Shards(directory).Select(ReadManifest).OfType<Manifest>().ToList();
        var now = DateTimeOffset.UtcNow;
        Standing standing;
        if (manifest is not null && manifest.Shard is null && shards.Count == 0)
        {
            var gone = manifest.State == "running" && Alive(directory, "main") is false;
            var state = gone ? "Stopped" : manifest.State switch
            {
                "running" or "complete" => "In progress",
                "interrupted" => "Interrupted",
                _ => "Stopped",
            };
            var note = gone ? "The sweep's process is gone without saying why (killed, or its machine stopped); running the same command again resumes it. The tables show the runs stored so far."
                : manifest.State switch
                {
                    "interrupted" => "Running the same command again resumes it; the tables show the runs stored so far.",
                    "failed" => $"The sweep failed ({manifest.Error}); the tables show the runs stored so far.",
                    _ => null,
                };
            var end = manifest.Ended ?? (gone ? manifest.Updated ?? manifest.Started : now);
            standing = new Standing(state, manifest.GridRuns, end - manifest.Started, Rate(manifest), note, now);
        }
        else
        {
            var running = shards.Count(m => m.State == "running" && Alive(directory, m.Shard ?? "main") is not false);
            var done = shards.Count(m => m.State == "complete");
            var count = shards.Select(m => m.ShardCount).FirstOrDefault(c => c is not null);
            var started = shards.Count > 0 ? shards.Min(m => m.Started) : now;
            var rates = shards.Where(m => m.State == "running").Select(Rate).OfType<double>().ToList();
            standing = new Standing(running > 0 ? "In progress" : "Shards", shards.Select(m => m.GridRuns).FirstOrDefault(g => g is not null), now - started, rates.Count > 0 ? rates.Sum() : null,
                $"Shards: {done} of {count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} done, {running} running; the tables show every shard's runs stored so far, and gdsweeps merge writes the finished report once all are done.", now);
        }

        var written = manifest ?? shards.FirstOrDefault() ?? throw new ReportException($"{directory} holds no manifest.json: run the sweep (or merge its shards) first.", badInput: true);
        try
        {
            return (written.Sweep, standing, new PartialReport.Members(new SweepGrid(PlanOf(written, ct))));
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException)
        {
            var why = e is ConfigException c ? string.Join("; ", c.Errors.Take(2)) : e.Message;
            throw new ReportException($"cannot tell which stored runs are the sweep's: its config (as {written.ConfigPathResolved}, kept in the manifest) no longer loads: {why}");
        }
    }

    /// <summary>
    /// Runs a second the sweep computed, as of its manifest's last rewrite (with each live report); null before the
    /// first.
    /// </summary>
    private static double? Rate(Manifest m) =>
        m.Updated is { } updated && m.Computed > 0 && updated > m.Started ? m.Computed / (updated - m.Started).TotalSeconds : null;

    /// <summary>
    /// Whether the writer <paramref name="owner"/> of the folder is still running, from the holder file it keeps
    /// beside its lock (<c>owner: pid N on HOST since ...</c>): false when that process is gone from this machine (or
    /// the file is, which a writer removes as it exits), null when it runs on another machine (cannot tell).
    /// </summary>
    private static bool? Alive(string directory, string owner)
    {
        var holder = Path.Combine(directory, ResultFolder.HiddenFolder, $"holder-{owner}");
        string text;
        try
        {
            text = File.ReadAllText(holder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var words = text.Split(' ');
        var at = Array.IndexOf(words, "pid");
        if (at < 0 || at + 3 >= words.Length || !int.TryParse(words[at + 1], out var pid) || words[at + 2] != "on")
        {
            return null;
        }

        return words[at + 3] != Environment.MachineName ? null : Directory.Exists($"/proc/{pid}");
    }

    private static List<string> Shards(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFiles(directory, "manifest-*.json").Order(StringComparer.Ordinal)] : [];

    private static Manifest? ReadManifest(string path)
    {
        try
        {
            return Manifest.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new ReportException($"{e.Message}; rerun the sweep to rebuild the folder");
        }
    }

    /// <summary>
    /// A finished sweep's reports rendered from its checked parts, written nowhere (<c>report DIR --out FILE</c>).
    /// </summary>
    public static async Task<(string Markdown, string Html)> RenderFinishedAsync(string directory, CancellationToken ct)
    {
        var manifest = ReadManifest(Path.Combine(directory, Manifest.FileName))!;
        var table = new List<Part>();
        try
        {
            foreach (var part in Committed.Finished(directory, manifest))
            {
                table.Add(Part.Files(part.Runs, part.Curves, part.Batch));
            }
        }
        catch (InvalidDataException e)
        {
            throw new ReportException($"{e.Message}, then report");
        }

        var rendered = await Reporting.RenderAsync(directory, table, manifest.Sweep, ct, reduceAsComplete: ReduceOf(manifest, ct));
        return (rendered.Markdown, rendered.Html);
    }

    /// <exception cref="ReportException">No finished sweep, or a stored part is damaged or missing.</exception>
    public static async Task<ReportFiles> ReportsAsync(string directory, CancellationToken ct)
    {
        var manifestPath = Path.Combine(directory, Manifest.FileName);
        Manifest? manifest;
        try
        {
            manifest = Manifest.Read(manifestPath);
        }
        catch (InvalidDataException e)
        {
            throw new ReportException($"{e.Message}; rerun the sweep to rebuild the folder");
        }

        if (manifest is null)
        {
            throw new ReportException($"{directory} holds no manifest.json: run the sweep (or merge its shards) first.", badInput: true);
        }

        if (manifest.State != "complete" || manifest.GridParts is null)
        {
            throw new ReportException($"the sweep '{manifest.Sweep}' in {directory} is {manifest.State}, not complete: run it again to finish it, then report.");
        }

        using var folder = ResultFolder.Open(directory);
        try
        {
            return await ReportsAsync(folder, manifest, ct);
        }
        catch (InvalidDataException e)
        {
            // A part that passed its checksum yet cannot be read as one: put in place with its record, or a bug.
            throw new ReportException($"{e.Message}; rerun the sweep to compute its runs again, then report");
        }
    }

    private static async Task<ReportFiles> ReportsAsync(ResultFolder folder, Manifest manifest, CancellationToken ct)
    {
        var table = new List<Part>();
        (string File, Table<RunResult> Columns)? first = null;
        var files = manifest.Files.ToDictionary(f => f.File, StringComparer.Ordinal);
        for (var b = 0; files.ContainsKey(Parts.RunsPart(b)); b++)
        {
            var runs = files[Parts.RunsPart(b)];
            var curves = files.GetValueOrDefault(Parts.CurvesPart(b)) ?? throw new ReportException($"{Parts.CurvesPart(b)} is not in the manifest: rerun the sweep");
            foreach (var file in new[] { runs, curves })
            {
                if (!folder.Verify(file, out var problem))
                {
                    var aside = File.Exists(folder.PathOf(file.File)) ? $"; moved to {folder.MoveAside(file.File)}" : "";
                    throw new ReportException($"{file.File} failed its check ({problem}){aside}: rerun the sweep to compute its runs again, then report");
                }
            }

            // Every part holds the columns of the first: one written with others (put in place with its record, or
            // by another version) is named rather than read as if it held them.
            var columns = await Tables.OfFileAsync<RunResult>(folder.PathOf(runs.File), ct);
            first ??= (runs.File, columns);
            if (Difference(first.Value.Columns, columns) is { } difference)
            {
                throw new InvalidDataException($"{runs.File}: written with other columns: {difference} (as in {first.Value.File})");
            }

            table.Add(Part.Files(runs, curves, b));
        }

        Log.Debug("{Parts} parts checked", table.Count);
        var reports = await Reporting.WriteAllAsync(folder, table, manifest.Sweep, ct, reduceAsComplete: ReduceOf(manifest, ct), threads: Environment.ProcessorCount);
        var kept = manifest.Files.Where(f => !reports.Files.Any(r => r.File == f.File));
        await (manifest with { Files = [.. kept, .. reports.Files] }).WriteAsync(folder, null, ct);
        return reports;
    }

    /// <summary>
    /// The plan a manifest's sweep ran: its config as kept, with the kernel `--per-sample` chose (run ids hold it).
    /// </summary>
    /// <exception cref="ConfigException">The config no longer loads.</exception>
    internal static SweepPlan PlanOf(Manifest manifest, CancellationToken ct)
    {
        var plan = SweepPlan.Parse(manifest.ConfigText, manifest.ConfigPathResolved, ct);
        return manifest.Kernel == "per-sample" ? plan.With(c => c with { Kernel = KernelMode.PerSample }) : plan;
    }

    /// <summary>
    /// The grid's runs and whether it has one dataset, from the config the manifest keeps, so the analysis reduces each
    /// group as it completes (memory flat in the runs: a ten-million-run folder's report took 960 MB holding every
    /// run). Null when the config no longer loads here (its data moved) or describes another grid: then every run is
    /// held, as before.
    /// </summary>
    private static (long Runs, bool OneDataset)? ReduceOf(Manifest manifest, CancellationToken ct)
    {
        try
        {
            var grid = new SweepGrid(PlanOf(manifest, ct));
            return grid.Count == manifest.GridRuns ? PartialReport.Members.ReduceOf(grid) : null;
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException)
        {
            Log.Debug("The analysis holds every run: the config kept in the manifest does not load ({Error})", e.Message);
            return null;
        }
    }

    /// <summary>How the columns of <paramref name="other"/> differ from those of <paramref name="expected"/>; null when
    /// they are the same, by name, type and order.</summary>
    private static string? Difference(Table<RunResult> expected, Table<RunResult> other)
    {
        foreach (var column in expected.Columns)
        {
            if (other.Find(column.Name) is not { } found)
            {
                return $"no column '{column.Name}'";
            }

            if (found.Type != column.Type)
            {
                return $"'{column.Name}' is {found.TypeName}, not {column.TypeName}";
            }
        }

        return other.Columns.FirstOrDefault(c => expected.Find(c.Name) is null) is { } extra ? $"a column '{extra.Name}' no other part has"
            : other.Columns.Select(c => c.Name).SequenceEqual(expected.Columns.Select(c => c.Name)) ? null
            : "its columns in another order";
    }
}
