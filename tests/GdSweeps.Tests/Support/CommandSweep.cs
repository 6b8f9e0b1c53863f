using GdSweeps.Results;
using GdSweeps.Running;

namespace GdSweeps.Tests.Support;

/// <summary>
/// A folder holding a command trainer's config (<c>cmd.yaml</c>) and its scripts, run in process or by the real
/// command.
/// </summary>
internal sealed class CommandSweep
{
    private CommandSweep(string folder) => Folder = folder;

    public string Folder { get; }

    public string Config => Path.Combine(Folder, "cmd.yaml");

    public string Results => Path.Combine(Folder, "results");

    /// <summary>
    /// A new folder with <paramref name="yaml"/> as <c>cmd.yaml</c> and each of <paramref name="files"/> (name, text).
    /// </summary>
    public static CommandSweep Create(string yaml, params (string Name, string Text)[] files)
    {
        var sweep = new CommandSweep(Some.TempDir());
        File.WriteAllText(sweep.Config, yaml);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(sweep.Folder, name), text);
        }

        return sweep;
    }

    public Task<SweepSession.Outcome> RunAsync(int threads = 2, Shard? shard = null, CancellationToken ct = default) =>
        SweepSession.RunAsync(SweepPlan.Load(Config, ct), Results, new RunOptions(threads, null, shard), null, ct);

    /// <summary>Every stored row with every column by name (a command's columns included).</summary>
    public Task<List<Dictionary<string, object?>>> RowsAsync() => Stored.RowsByNameAsync(Results);

    /// <summary>The stored log of a run, by its id.</summary>
    public string Log(object? runId) => File.ReadAllText(Path.Combine(Results, RunLogs.Folder, $"{runId}.log"));

    /// <summary>
    /// A config of <paramref name="command"/> (a YAML list) on a tiny dataset, with <paramref name="extra"/> YAML
    /// appended.
    /// </summary>
    public static string Yaml(string command, string inputs, string extra = "", string rates = "[0.1, 0.2]", int steps = 20) => $"""
        name: cmd
        datasets: [{"{"}name: d, x: [1, 2, 3, 4], y: [2, 4, 6, 8.5]{"}"}]
        transforms: [none, standardize]
        learning_rates: {rates}
        steps: {steps}
        trainer:
          command: {command}
          inputs: {inputs}
        {extra}
        """;
}
