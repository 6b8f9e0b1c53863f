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
    /// <param name="Ignored">The keys (axes) the pairing ignored.</param>
    /// <param name="Page">The HTML page with the figure.</param>
    public sealed record Outcome(string A, string B, string SweepA, string SweepB, IReadOnlyList<GroupComparison> Groups, string File, IReadOnlyList<string> Ignored, string Page);

    /// <exception cref="CompareException">A folder holds no complete sweep, or its summary.parquet is missing or
    /// damaged, or a key to ignore or match is none of the sweeps', or the pairing is ambiguous.</exception>
    /// <param name="ignore">Keys to pair without (<c>--ignore</c>): axis names, or their columns' names.</param>
    /// <param name="match">Keys to pair on alone (<c>--match</c>): every other key is ignored.</param>
    public static async Task<Outcome> RunAsync(string directoryA, string directoryB, string? output, CancellationToken ct, IReadOnlyList<string>? ignore = null, IReadOnlyList<string>? match = null)
    {
        var (sweepA, settingA, a) = await ReadAsync(directoryA, ct);
        var (sweepB, settingB, b) = await ReadAsync(directoryB, ct);
        var ignored = Ignored(settingA, settingB, ignore ?? [], match ?? []);
        List<GroupComparison> groups;
        try
        {
            groups = GroupComparison.Match(a, b, ignored);
        }
        catch (AmbiguousPairingException e)
        {
            throw new CompareException(e.Message, badInput: true);
        }

        settingA = ignored.Aggregate(settingA, (s, axis) => s.Without(axis));
        settingB = ignored.Aggregate(settingB, (s, axis) => s.Without(axis));
        if (output is not null && !output.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            throw new CompareException($"--out names the comparison's Parquet table (FILE.parquet; its page is written beside it as FILE.html), got '{output}'; for CSV, export it: gdsweeps export reads results folders", badInput: true);
        }

        // Each whole or not at all.
        var file = output ?? Path.Combine(directoryB, ComparisonFile.NameFor(directoryA));
        await WholeFile.WriteAsync(file, stream => ComparisonFile.TableFor(settingA, settingB, ignored).WriteAsync(stream, groups, ct));
        var outcome = new Outcome(directoryA, directoryB, sweepA, sweepB, groups, file, ignored, Path.ChangeExtension(file, ".html"));
        await WholeFile.WriteTextAsync(outcome.Page, ComparisonPage.Render(outcome), ct);
        return outcome;
    }

    /// <summary>
    /// The axes to pair without: those <paramref name="ignore"/> names, or with <paramref name="match"/> every axis
    /// of either sweep it does not name. A name is an axis (<c>w0</c>, <c>transforms</c>) or one of its columns
    /// (<c>transform</c>, <c>w0_label</c>).
    /// </summary>
    private static List<string> Ignored(SettingSchema a, SettingSchema b, IReadOnlyList<string> ignore, IReadOnlyList<string> match)
    {
        if (ignore.Count > 0 && match.Count > 0)
        {
            throw new CompareException("give --ignore or --match, not both: --match KEYS pairs on those keys alone", badInput: true);
        }

        if (ignore.Count == 0 && match.Count == 0)
        {
            return [];
        }

        var axes = a.Axes.Concat(b.Axes).GroupBy(x => x.Axis).Select(g => g.First()).ToList();
        string AxisOf(string name) =>
            axes.FirstOrDefault(x => x.Axis == name || x.Label == name || x.Columns.Contains(name))?.Axis
            ?? throw new CompareException(
                (name is "learning_rates" or "learning_rate" or "seeds" or "seed" ? $"'{name}' is never part of a setting: groups are the runs that differ only in learning rate and seed. " : $"no key '{name}' in either sweep. ")
                + $"The keys: {string.Join(", ", axes.Select(x => x.Axis))}", badInput: true);
        var named = (ignore.Count > 0 ? ignore : match).Select(AxisOf).Distinct().ToList();
        return ignore.Count > 0 ? named : [.. axes.Select(x => x.Axis).Where(x => !named.Contains(x))];
    }

    /// <summary>The groups in both as a table of what moved, then the settings only one sweep has.</summary>
    public static string Text(Outcome outcome)
    {
        var both = outcome.Groups.Where(g => g.A is not null && g.B is not null).ToList();
        var labels = new SettingLabels(outcome.Groups.Select(g => g.Setting));
        var text = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        text.AppendLine(ci, $"a: {outcome.A} (sweep {outcome.SweepA}); b: {outcome.B} (sweep {outcome.SweepB})");
        var paired = outcome.Ignored.Count > 0 ? $", paired on every key but {string.Join(", ", outcome.Ignored)}" : "";
        text.AppendLine(ci, $"{Plural.Of(both.Count, "group")} in both, {outcome.Groups.Count(g => g.B is null)} only in a, {outcome.Groups.Count(g => g.A is null)} only in b{paired}");
        if (both.Count > 0)
        {
            text.AppendLine();
            var ignored = string.Concat(outcome.Ignored.Select(i => $" {i}, a -> b |"));
            text.AppendLine($"| group |{ignored} stable up to, a -> b | first unstable, a -> b | measured / analytic, a -> b | converged range, a -> b | best lr, a -> b |");
            text.AppendLine($"|---|{string.Concat(outcome.Ignored.Select(_ => "---|"))}---|---|---|---|---|");
            foreach (var g in both)
            {
                var (a, b) = (g.A!, g.B!);
                var values = string.Concat(outcome.Ignored.Select(i => $" {g.FullA?.Cell(i) ?? "none"} -> {g.FullB?.Cell(i) ?? "none"} |"));
                text.AppendLine(ci, $"| {labels.Label(g.Setting)} |{values} {Moved(a.MaxStableLr, b.MaxStableLr)} | {Moved(a.MinUnstableLr, b.MinUnstableLr)} | {Num(a.EdgeRatio)} -> {Num(b.EdgeRatio)} | {Range(a)} -> {Range(b)} | {Moved(a.BestLr, b.BestLr)} |");
            }
        }

        foreach (var (side, only) in new[] { ("a", outcome.Groups.Where(g => g.B is null)), ("b", outcome.Groups.Where(g => g.A is null)) })
        {
            foreach (var g in only)
            {
                text.AppendLine(ci, $"only in {side}: {labels.Label(g.Setting)}");
            }
        }

        if (both.Count == 0 && Differing(outcome) is { Count: > 0 } differing)
        {
            text.AppendLine(ci, $"no group is in both: every group of a differs from every group of b in {string.Join(", ", differing)}; to pair them on the other keys: --ignore {string.Join(",", differing)}");
        }

        return text.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>The keys whose values in a and in b have nothing in common: what keeps any group from pairing.</summary>
    private static List<string> Differing(Outcome outcome)
    {
        var a = outcome.Groups.Where(g => g.A is not null).Select(g => g.Setting).ToList();
        var b = outcome.Groups.Where(g => g.B is not null).Select(g => g.Setting).ToList();
        if (a.Count == 0 || b.Count == 0)
        {
            return [];
        }

        return [.. a[0].Values.Select(v => v.Axis).Where(axis => !a.Select(s => s.Cell(axis)).Intersect(b.Select(s => s.Cell(axis))).Any())];
    }

    internal static string Moved(double? a, double? b) =>
        GroupComparison.Ratio(a, b) is { } ratio
            ? ratio == 1 ? $"{Num(a)} (same)" : string.Create(CultureInfo.InvariantCulture, $"{Num(a)} -> {Num(b)} (x{ratio:G3})")
            : $"{Num(a)} -> {Num(b)}";

    internal static string Range(GroupFigures f) => f.MinConvergedLr is null ? "-" : $"[{Num(f.MinConvergedLr)}, {Num(f.MaxConvergedLr)}]";

    internal static string Num(double? v) => v?.ToString("G4", CultureInfo.InvariantCulture) ?? "-";

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
