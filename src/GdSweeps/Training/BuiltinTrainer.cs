using System.Collections.Concurrent;
using GdSweeps.Configs;
using GdSweeps.Grid;

namespace GdSweeps.Training;

/// <summary>The built-in models: each run is a call of <see cref="Trainer"/>, under the sweep's settings.</summary>
internal sealed class BuiltinTrainer(SweepConfig config) : ITrainer
{
    private readonly TrainSettings settings = new(config.DivergenceThreshold, config.Tolerance, config.Kernel == KernelMode.PerSample);
    private readonly ConcurrentDictionary<int, int[]> schedules = new();

    /// <inheritdoc/>
    public int CurvePoints(RunSpec spec) => Schedule(spec.Get(SweepAxes.Steps)).Length;

    /// <summary>One run; a run that throws becomes a failed outcome, never a failed sweep.</summary>
    public RunOutcome Train(RunSpec spec, ArraySegment<CurvePoint> curve, CancellationToken ct)
    {
        try
        {
            return Trainer.Run(spec, settings, Schedule(spec.Get(SweepAxes.Steps)), curve, ct);
        }
#pragma warning disable CA1031 // a failing run is recorded, whatever it threw
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return RunOutcome.Failed($"{e.GetType().Name}: {e.Message}") with { LrCrit = new BuiltinRun(spec).Bound };
        }
    }

    private int[] Schedule(int steps) => schedules.GetOrAdd(steps, static (s, all) => CurveSchedule.Steps(s, all), config.Curve == CurveMode.All);
}
