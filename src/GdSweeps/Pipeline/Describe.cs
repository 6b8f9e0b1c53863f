using System.Globalization;
using System.Text;
using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Plan;

namespace GdSweeps.Pipeline;

/// <summary>
/// What <c>validate</c> and <c>--dry-run</c> print: the axes, the run count, warnings, and the first runs.
/// </summary>
internal static class Describe
{
    /// <summary>
    /// The axes of a plan, its run count, and the first runs when <paramref name="listRuns"/> is above 0.
    /// </summary>
    public static string Text(SweepGrid grid, int listRuns = 0)
    {
        var text = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        var plan = grid.Plan;
        text.AppendLine(grid.Count == long.MaxValue
            ? string.Create(ci, $"sweep {plan.Name}: more than {long.MaxValue:E2} runs (more than any count holds)")
            : string.Create(ci, $"sweep {plan.Name}: {Analysis.Plural.Of(grid.Count, "run")}"));
        foreach (var item in plan.Config.Overrides)
        {
            text.AppendLine(ci, $"  {ConfigOverrides.Option} {item}");
        }

        // A command trainer's sweep has the built-in models' axes at their defaults, unused: they are not its axes.
        foreach (var axis in plan.Axes.All.Where(a => plan.Config.Trainer is null || !ConfigLoader.BuiltInOnly.Contains(a.Name)))
        {
            var shown = axis.Count > 8
                ? string.Join(", ", Enumerable.Range(0, 4).Select(i => Label(axis, i))) + ", ..., " + Label(axis, axis.Count - 1)
                : string.Join(", ", Enumerable.Range(0, axis.Count).Select(i => Label(axis, i)));
            text.AppendLine(ci, $"  {axis.Name} ({axis.Count}): {shown}");
        }

        if (plan.Config.Trainer is { } trainer)
        {
            text.AppendLine(ci, $"  trainer: {string.Join(" ", trainer.Command)} (program {trainer.Program}; in {trainer.WorkingDirectory})");
            text.AppendLine(ci, $"    inputs: {(trainer.Inputs.Count == 0 ? "none" : string.Join(", ", trainer.Inputs.Select(i => $"{i.Given} ({i.Sha256[..12]})")))}; timeout: {trainer.Timeout?.ToString() ?? "none"}; retries: {trainer.Retries}");
            if (trainer.Serve)
            {
                var workers = trainer.Devices.Count > 0
                    ? $"{trainer.Workers(1)} worker(s) on devices {string.Join(", ", trainer.Devices)} ({trainer.WorkersPerDevice} a device)"
                    : "a worker a thread (--threads)";
                text.AppendLine(ci, $"    served: {workers}; runs sent {(trainer.Batch > 1 ? $"up to {trainer.Batch} of a group at once" : "one at a time")}");
            }
        }

        foreach (var zip in plan.Config.Zips)
        {
            text.AppendLine(ci, $"  zip: {string.Join(" with ", zip)}");
        }

        if (plan.Config.Excludes.Count > 0)
        {
            text.AppendLine(ci, $"  exclude: {plan.Config.Excludes.Count} rule{(plan.Config.Excludes.Count == 1 ? "" : "s")}");
        }

        foreach (var warning in Warnings(plan))
        {
            text.AppendLine(ci, $"warning: {warning}");
        }

        if (listRuns > 0)
        {
            text.AppendLine(ci, $"first {Analysis.Plural.Of(Math.Min(listRuns, grid.Count), "run")}:");
            foreach (var run in grid.Runs().Take(listRuns))
            {
                // Every value the run's trainer reads, as a report's labels show it: a named axis's as name=value.
                var values = run.Axes.All.Select((axis, at) => (axis, at))
                    .Where(a => a.axis.Kind != SweepAxes.LearningRates && !(plan.Config.Trainer is not null && a.axis.Kind.BuiltInOnly))
                    .Select(a => a.axis.Setting is { Named: false } ? a.axis.Label(run.Point[a.at]) : $"{a.axis.Name}={a.axis.Label(run.Point[a.at])}");
                text.AppendLine(ci, $"  {run.Index,6} {run.Id} {string.Join(" ", values)} lr={run.LearningRate.ToString("G6", ci)}");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Problems that are not errors: where the learning-rate grid cannot show the stable range of a group that has an
    /// analytic bound (a quadratic loss, GD or heavy-ball momentum over the full batch, a schedule that ends constant).
    /// Adam and the others have no bound to bracket, so a sweep of them gets no such warning.
    /// </summary>
    public static IEnumerable<string> Warnings(SweepPlan plan)
    {
        var config = plan.Config;
        if (config.Trainer is { } trainer)
        {
            // A command's model is its own: no analytic bound to bracket. What can be wrong is a script outside the identity.
            foreach (var script in trainer.Command.Skip(1).Where(a => IsFile(trainer.WorkingDirectory, a) && !trainer.Inputs.Any(i => i.Resolved == Path.GetFullPath(Path.Combine(trainer.WorkingDirectory, a)))))
            {
                yield return $"'{script}' is a file the command reads but not one of trainer.inputs: a change to it will not run the runs again";
            }

            yield break;
        }

        var rates = config.Get(SweepAxes.LearningRates).Values;
        var (low, high) = (rates.Min(), rates.Max());
        var bounded = config.Get(SweepAxes.Optimizer).Values.Where(o => o.FullBatch && o.Bound(1) is not null).ToList();
        if (!config.Get(SweepAxes.Schedule).Values.Any(s => s.EndsConstant))
        {
            yield break;
        }

        // Refinement goes up to 1e6 times beyond the grid's ends for the edge, so only a bound farther out is lost.
        var refines = config.Refine is not null && !config.Zips.Any(z => z.Contains(SweepAxes.LearningRates.Name));
        var (reachLow, reachHigh) = refines ? (low / 1e6, high * 1e6) : (low, high);
        foreach (var problem in plan.Problems)
        {
            foreach (var optimizer in bounded)
            {
                if (problem.LambdaMax is { } lambda && optimizer.Bound(lambda) is { } crit && (crit < reachLow || crit > reachHigh))
                {
                    var which = optimizer.Kind == OptimizerKind.Gd ? "" : $" for {optimizer.Label}";
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"learning rates {low:G4} to {high:G4} do not bracket lr_crit = {crit:G4}{which} of dataset '{problem.Dataset.Name}' under '{problem.Transform.Label}' ({problem.Model.Name()}): its stable range cannot be seen{(refines ? " even by refinement, which goes up to 1e6 times beyond the grid" : "; refine: true searches beyond the grid for it")}");
                }
            }
        }
    }

    /// <summary>
    /// Whether a command's argument names a file (relative to where the command runs) and holds no placeholder.
    /// </summary>
    private static bool IsFile(string folder, string argument) =>
        !argument.Contains('{', StringComparison.Ordinal) && !argument.StartsWith('-') && File.Exists(Path.Combine(folder, argument));

    private static string Label(IAxis axis, int index) => axis switch
    {
        Axis<Data.Dataset> datasets => $"{datasets[index].Name} (n={datasets[index].Count}, d={datasets[index].Features})",
        Axis<double> numbers => numbers[index].ToString("G6", CultureInfo.InvariantCulture),
        _ => axis.Label(index),
    };
}
