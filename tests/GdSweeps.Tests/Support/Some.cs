using GdSweeps.Configs;
using GdSweeps.Data;
using GdSweeps.Grid;
using GdSweeps.Pipeline;
using GdSweeps.Plan;
using GdSweeps.Running;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Tests.Support;

/// <summary>Small real test data: configs, datasets and problems.</summary>
internal static class Some
{
    public const string SeedYaml = """
        name: seed
        datasets:
          - name: x1to100
            x: [1, 100]
            y: [2, 200]
          - name: x1to10
            x: [1, 10]
            y: [2, 20]
        transforms: [none, log1p]
        w0: 1
        learning_rates:
          logspace: {from: 1.0e-6, to: 1, per_decade: 4}
        clip: [none, 1, 10, 100]
        steps: 1000
        """;

    /// <summary>The plan of a config given as YAML text.</summary>
    public static SweepPlan Config(string yaml = SeedYaml, string path = "test.yaml") => SweepPlan.Parse(yaml, path);

    /// <summary>Every run of a plan, in grid order.</summary>
    public static List<RunSpec> Runs(SweepPlan plan) => [.. new SweepGrid(plan).Runs()];

    public static Problem Problem(double[] x, double[] y, TransformKind transform = TransformKind.None) =>
        new(new Dataset("d", x, y), TransformSpec.Both(transform), ModelKind.Linear, LossSpec.Mse);

    public static Problem Problem(Dataset dataset, ModelKind model = ModelKind.Linear, LossSpec? loss = null, params TransformKind[] transform) =>
        new(dataset, TransformSpec.Both(transform.Length == 0 ? [TransformKind.None] : transform), model, loss ?? LossSpec.Mse);

    public static Problem Raw100 => Problem([1, 100], [2, 200]);

    public static Problem Log1p10 => Problem([1, 10], [2, 20], TransformKind.Log1p);

    /// <summary>
    /// A run of <paramref name="problem"/> with GD and no clipping unless given: one value on every axis.
    /// </summary>
    public static RunSpec Run(
        Problem problem, double lr, double w0 = 1, int steps = 1000, OptimizerSpec? optimizer = null, ClipSpec? clip = null, ScheduleSpec? schedule = null,
        InitSpec? init = null, int seed = 0, double b0 = 0)
    {
        var axes = new AxisSet(
        [
            SweepAxes.Datasets.Of([problem.Dataset]), SweepAxes.Transforms.Of([problem.Transform]), SweepAxes.Model.Of([problem.Model]),
            SweepAxes.Loss.Of([problem.Loss]), SweepAxes.W0.Of([init ?? InitSpec.Scalar(w0)]), SweepAxes.B0.Of([b0]),
            SweepAxes.Optimizer.Of([optimizer ?? OptimizerSpec.Gd]), SweepAxes.Schedule.Of([schedule ?? ScheduleSpec.Constant]), SweepAxes.Steps.Of([steps]),
            SweepAxes.Clip.Of([clip]), SweepAxes.Seeds.Of([seed]), SweepAxes.LearningRates.Of([lr]),
        ]);
        return new RunSpec
        {
            Index = 0,
            Id = default,
            GroupId = default,
            Axes = axes,
            Point = new int[axes.Count],
            Problem = problem,
            LearningRate = lr,
        };
    }

    public static RunOutcome Train(RunSpec spec, TrainSettings? settings = null, bool allSteps = true) =>
        Trainer.Run(spec, settings ?? new TrainSettings(), CurveSchedule.Steps(spec.Get(SweepAxes.Steps), allSteps));

    public static async Task<string> SweepAsync(SweepPlan config, int threads = 2, string? directory = null, int? batchSize = null)
    {
        directory ??= TempDir();
        await SweepSession.RunAsync(config, directory, new RunOptions(threads, batchSize), null, CancellationToken.None);
        return directory;
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GdSweeps.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("GdSweeps.sln not found above the test binaries");
        }
    }

    public static string TempDir()
    {
        var path = Path.Combine(Path.GetTempPath(), "gdsweeps-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
