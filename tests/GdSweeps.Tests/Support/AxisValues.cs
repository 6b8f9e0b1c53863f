using GdSweeps.Data;
using GdSweeps.Transforms;

namespace GdSweeps.Tests.Support;

/// <summary>The values of a config's axes by name, as the tests read them.</summary>
internal static class AxisValues
{
    extension(SweepConfig config)
    {
        public IReadOnlyList<Dataset> Datasets => config.Get(SweepAxes.Datasets).Values;

        public IReadOnlyList<TransformSpec> Transforms => config.Get(SweepAxes.Transforms).Values;

        public IReadOnlyList<double> LearningRates => config.Get(SweepAxes.LearningRates).Values;

        public IReadOnlyList<ClipSpec?> Clips => config.Get(SweepAxes.Clip).Values;

        public IReadOnlyList<OptimizerSpec> Optimizers => config.Get(SweepAxes.Optimizer).Values;

        public IReadOnlyList<InitSpec> W0 => config.Get(SweepAxes.W0).Values;

        public IReadOnlyList<int> Steps => config.Get(SweepAxes.Steps).Values;

        public IReadOnlyList<int> Seeds => config.Get(SweepAxes.Seeds).Values;

        public IReadOnlyList<ScheduleSpec> Schedules => config.Get(SweepAxes.Schedule).Values;

        public IReadOnlyList<LossSpec> Losses => config.Get(SweepAxes.Loss).Values;

        public IReadOnlyList<ModelKind> Models => config.Get(SweepAxes.Model).Values;
    }

    extension(SweepPlan plan)
    {
        public string Text => plan.Config.Text;

        public double DivergenceThreshold => plan.Config.DivergenceThreshold;

        /// <summary>The trainer's settings for this plan, as the runner builds them.</summary>
        public TrainSettings Settings => new(plan.Config.DivergenceThreshold, plan.Config.Tolerance, plan.Config.Kernel == KernelMode.PerSample);

        /// <summary>The same plan computed over every sample.</summary>
        public SweepPlan PerSample => plan.With(c => c with { Kernel = KernelMode.PerSample });

        public string SourcePath => plan.Config.SourcePath;

        public IReadOnlyList<Dataset> Datasets => plan.Config.Datasets;

        public IReadOnlyList<TransformSpec> Transforms => plan.Config.Transforms;

        public IReadOnlyList<double> LearningRates => plan.Config.LearningRates;

        public IReadOnlyList<ClipSpec?> Clips => plan.Config.Clips;

        public IReadOnlyList<OptimizerSpec> Optimizers => plan.Config.Optimizers;

        public IReadOnlyList<InitSpec> W0 => plan.Config.W0;

        public IReadOnlyList<int> Steps => plan.Config.Steps;

        public IReadOnlyList<int> Seeds => plan.Config.Seeds;

        public IReadOnlyList<ScheduleSpec> Schedules => plan.Config.Schedules;

        public IReadOnlyList<LossSpec> Losses => plan.Config.Losses;
    }
}
