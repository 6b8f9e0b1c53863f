using GdSweeps.Analysis;
using GdSweeps.Grid;
using GdSweeps.Pipeline;
using GdSweeps.Plan;
using GdSweeps.Results;
using GdSweeps.Running;

namespace GdSweeps.Benchmarks;

/// <summary>
/// What a reduced group costs to hold: sweeps 10,000 groups of 10 rates (the ten million's settings with fewer rates),
/// reads them into a collector that reduces each as it completes, and prints the bytes held per group
/// (<c>dotnet run -c Release --project tests/GdSweeps.Benchmarks -- group-memory</c>; docs/benchmarks.md).
/// </summary>
internal static class GroupMemory
{
    private const string Yaml = """
        name: group-memory
        datasets:
          - {name: small, x: [1, 2, 3, 4], y: [2.1, 3.9, 6.2, 7.8]}
        transforms: none
        w0: {linspace: {from: -5, to: 5, count: 1000}}
        learning_rates: {logspace: {from: 1.0e-4, to: 1, count: 10}}
        clip: [none, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]
        steps: 100
        """;

    public static async Task RunAsync()
    {
        var plan = SweepPlan.Parse(Yaml, "group-memory.yaml");
        var grid = new SweepGrid(plan);
        var folder = Path.Combine(Path.GetTempPath(), $"gdsweeps-group-memory-{Environment.ProcessId}");
        try
        {
            await SweepSession.RunAsync(plan, folder, new RunOptions(Environment.ProcessorCount, null), null, CancellationToken.None);
            var parts = Directory.GetFiles(Path.Combine(folder, "runs"), "*.parquet").Order(StringComparer.Ordinal).ToList();
            var schema = await RunSchema.ReadAsync(parts[0], CancellationToken.None);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var collector = new GroupCollector(schema);
            collector.ReduceAsComplete(grid.Count, oneDataset: true);
            foreach (var part in parts)
            {
                await collector.ReadAsync(part, CancellationToken.None);
            }

            var held = GC.GetTotalMemory(forceFullCollection: true) - before;
            var groups = collector.Groups;
            Console.WriteLine($"{groups.Count} groups ({groups.Count(g => g.Summary is not null)} reduced, {groups.Count(g => g.HasPoints)} keeping their points for the figures): {held / 1e6:F1} MB held, {held / groups.Count} bytes a group");
            GC.KeepAlive(collector);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
