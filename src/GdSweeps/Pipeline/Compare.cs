using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GdSweeps.Analysis;
using GdSweeps.Results;

namespace GdSweeps.Pipeline;

/// <summary>
/// <c>gdsweeps compare A B</c>: per setting of two finished sweeps, how the measured edge, the converged range and the
/// best
/// rate moved from A to B, as a table to read and as <c>compare-&lt;A&gt;.parquet</c>.
/// </summary>
internal static class Compare
{
    /// <summary>
    /// A folder holds no finished sweep to compare, or its summary does not check; the message says why and what to do.
    /// </summary>
    public sealed class CompareException(string message, bool badInput = false) : Exception(message)
    {
        /// <summary>The folder is not a results folder at all (rather than an unfinished or damaged one).</summary>
        public bool BadInput { get; } = badInput;
    }

    /// <summary>What a comparison found and where it wrote it.</summary>
    public sealed record Outcome(string A, string B, string SweepA, string SweepB, IReadOnlyList<GroupComparison> Groups, string File);

    /// <exception cref="CompareException">A folder holds no complete sweep, or its summary.parquet is missing or
    /// damaged.</exception>
    public static async Task<Outcome> RunAsync(string directoryA, string directoryB, string? output, CancellationToken ct)
    {
        var (sweepA, settingA, a) = await ReadAsync(directoryA, ct);
        var (sweepB, settingB, b) = await ReadAsync(directoryB, ct);
        var groups = GroupComparison.Match(a, b);
        var file = output ?? Path.Combine(directoryB, ComparisonFile.NameFor(directoryA));

        // Whole or not at all: written beside, then renamed over.
        var temp = $"{file}.tmp-{Guid.NewGuid():N}";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                await ComparisonFile.TableFor(settingA, settingB).WriteAsync(stream, groups, ct);
            }

            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return new Outcome(directoryA, directoryB, sweepA, sweepB, groups, file);
    }

    /// <summary>The groups in both as a table of what moved, then the settings only one sweep has.</summary>
    public static string Text(Outcome outcome)
    {
        var both = outcome.Groups.Where(g => g.A is not null && g.B is not null).ToList();
        var labels = new SettingLabels(outcome.Groups.Select(g => g.Setting));
        var text = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        text.AppendLine(ci, $"a: {outcome.A} (sweep {outcome.SweepA}); b: {outcome.B} (sweep {outcome.SweepB})");
        text.AppendLine(ci, $"{Plural.Of(both.Count, "group")} in both, {outcome.Groups.Count(g => g.B is null)} only in a, {outcome.Groups.Count(g => g.A is null)} only in b");
        if (both.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| group | stable up to, a -> b | first unstable, a -> b | measured / analytic, a -> b | converged range, a -> b | best lr, a -> b |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (var g in both)
            {
                var (a, b) = (g.A!, g.B!);
                text.AppendLine(ci, $"| {labels.Label(g.Setting)} | {Moved(a.MaxStableLr, b.MaxStableLr)} | {Moved(a.MinUnstableLr, b.MinUnstableLr)} | {Num(a.EdgeRatio)} -> {Num(b.EdgeRatio)} | {Range(a)} -> {Range(b)} | {Moved(a.BestLr, b.BestLr)} |");
            }
        }

        foreach (var (side, only) in new[] { ("a", outcome.Groups.Where(g => g.B is null)), ("b", outcome.Groups.Where(g => g.A is null)) })
        {
            foreach (var g in only)
            {
                text.AppendLine(ci, $"only in {side}: {labels.Label(g.Setting)}");
            }
        }

        return text.ToString();
    }

    private static string Moved(double? a, double? b) =>
        GroupComparison.Ratio(a, b) is { } ratio
            ? ratio == 1 ? $"{Num(a)} (same)" : string.Create(CultureInfo.InvariantCulture, $"{Num(a)} -> {Num(b)} (x{ratio:G3})")
            : $"{Num(a)} -> {Num(b)}";

    private static string Range(GroupFigures f) => f.MinConvergedLr is null ? "-" : $"[{Num(f.MinConvergedLr)}, {Num(f.MaxConvergedLr)}]";

    private static string Num(double? v) => v?.ToString("G4", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>The sweep's name and each group's setting and figures, from its checked summary.parquet.</summary>
    private static async Task<(string Sweep, SettingSchema Setting, List<(Setting, GroupFigures)> Groups)> ReadAsync(string directory, CancellationToken ct)
    {
        Manifest? manifest;
        try
        {
            manifest = Manifest.Read(Path.Combine(directory, Manifest.FileName));
        }
        catch (InvalidDataException e)
        {
            throw new CompareException($"{e.Message}; rerun the sweep to rebuild the folder");
        }

        if (manifest is null)
        {
            throw new CompareException($"{directory} holds no manifest.json: it is not a sweep's results folder, or the sweep never started.", badInput: true);
        }

        if (manifest.State != "complete")
        {
            throw new CompareException($"the sweep '{manifest.Sweep}' in {directory} is {manifest.State}, not complete: run it again to finish it, then compare.");
        }

        var path = Path.Combine(directory, SummaryFiles.SummaryFileName);
        var recorded = manifest.Files.FirstOrDefault(f => f.File == SummaryFiles.SummaryFileName);
        if (recorded is null || !File.Exists(path) || Sha256(path) != recorded.Sha256)
        {
            throw new CompareException($"{path} is {(File.Exists(path) ? "not the one the sweep wrote" : "missing")}: run gdsweeps report {directory} to rebuild it, then compare.");
        }

        var groups = new List<(Setting, GroupFigures)>();
        SettingSchema schema;
        try
        {
            var table = await Tables.OfFileAsync<GroupSummary>(path, ct);
            schema = SettingSchema.FromMetadata(table.Metadata, path);
            foreach (var c in await table.ReadAsync(path, ct: ct))
            {
                for (var i = 0; i < c.Count; i++)
                {
                    groups.Add((Setting.Of(c, i, schema), new GroupFigures(
                        c.Get<double?>("lr_crit")[i], c.Get<double?>("max_stable_lr")[i], c.Get<double?>("min_unstable_lr")[i], c.Get<double?>("edge_ratio")[i],
                        c.Get<double?>("min_converged_lr")[i], c.Get<double?>("max_converged_lr")[i], c.Get<double?>("best_lr")[i])));
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new CompareException($"{e.Message}; run gdsweeps report {directory} to rebuild it, then compare.");
        }

        return (manifest.Sweep, schema, groups);
    }

    private static string Sha256(string path)
    {
        using var stream = StoredFiles.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
