using System.Text.Json;
using System.Text.Json.Serialization;

namespace GdSweeps.Results;

/// <summary>
/// <c>manifest.json</c>: what was asked (the config as given, its hash), by which tool, how far it got, and in what
/// state.
/// </summary>
internal sealed record Manifest
{
    public const string FileName = "manifest.json";

    /// <summary><c>running</c>, <c>complete</c>, <c>interrupted</c> or <c>failed</c>.</summary>
    public required string State { get; init; }

    public required string Sweep { get; init; }

    public required string ToolVersion { get; init; }

    /// <summary>The config path as given on the command line, and resolved.</summary>
    public required string ConfigPath { get; init; }

    public required string ConfigPathResolved { get; init; }

    /// <summary>SHA-256 of the config text.</summary>
    public required string ConfigHash { get; init; }

    public required string ConfigText { get; init; }

    /// <summary>
    /// The command line's <c>--set KEY=VALUE</c> overrides, as given; the config text above already has them applied.
    /// </summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Files the config reads (CSV datasets), as written in the config and resolved.</summary>
    public required IReadOnlyList<DataFile> DataFiles { get; init; }

    /// <summary>
    /// A command trainer's inputs (<c>trainer.inputs</c>), as written, resolved, and their SHA-256 when the sweep read
    /// them.
    /// </summary>
    public IReadOnlyList<InputFile>? TrainerInputs { get; init; }

    /// <summary>
    /// How full-batch steps were computed: <c>per-sample</c> with <c>--per-sample</c>, else absent (the exact shortcut
    /// where it applies). Part of every run's identity, so a merge of shards uses it.
    /// </summary>
    public string? Kernel { get; init; }

    /// <summary>The shard's name (<c>shard-K-of-N</c>), when this manifest is one shard's.</summary>
    public string? Shard { get; init; }

    /// <summary>K of the shard K/N, from 1.</summary>
    public int? ShardIndex { get; init; }

    /// <summary>N of the shard K/N: how many shards the sweep was cut into.</summary>
    public int? ShardCount { get; init; }

    /// <summary>
    /// The runs of the whole grid (every shard's), before refinement: what a report of the unfinished sweep counts
    /// against.
    /// </summary>
    public long? GridRuns { get; init; }

    /// <summary>Stored runs: so far while running (rewritten with each live report), all of them once complete.</summary>
    public required long Runs { get; init; }

    /// <summary>Runs found stored and reused rather than computed again.</summary>
    public required long Reused { get; init; }

    /// <summary>Runs computed by this invocation.</summary>
    public required long Computed { get; init; }

    public IReadOnlyDictionary<string, long> Statuses { get; init; } = new Dictionary<string, long>();

    public required DateTimeOffset Started { get; init; }

    public DateTimeOffset? Ended { get; init; }

    /// <summary>When a running sweep last rewrote its counts (with each live report).</summary>
    public DateTimeOffset? Updated { get; init; }

    public string? Error { get; init; }

    /// <summary>
    /// Runs per part when fixed on the command line (<c>--runs-per-part</c>); null when cut by work. Shards and their
    /// merge must agree.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// The batches of the grid, stored as <c>runs/part-N</c> for N below this; refinement parts follow.
    /// </summary>
    public int? GridParts { get; init; }

    /// <summary>
    /// Every file of the finished sweep (the table's parts, the summaries and reports), with its size and SHA-256.
    /// </summary>
    public IReadOnlyList<StoredFile> Files { get; init; } = [];

    public sealed record DataFile(string Given, string Resolved);

    public sealed record InputFile(string Given, string Resolved, string Sha256);

    public static string PathIn(string directory, string? shard) =>
        Path.Combine(directory, shard is null ? FileName : $"manifest-{shard}.json");

    public Task WriteAsync(ResultFolder folder, string? shard, CancellationToken ct) =>
        folder.WriteTextAsync(Path.GetFileName(PathIn("", shard)), JsonSerializer.Serialize(this, ManifestJson.Default.Manifest) + "\n", ct);

    /// <summary>The manifest at <paramref name="path"/>; null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest GdSweeps wrote (damaged).</exception>
    public static Manifest? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            StoredFiles.Check(path);
            return JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Default.Manifest)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is damaged: {e.Message}", e);
        }
    }
}

/// <summary>The manifest's JSON, generated at build time (no reflection, so it works compiled ahead of time).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(StoredFile))]
internal sealed partial class ManifestJson : JsonSerializerContext;
