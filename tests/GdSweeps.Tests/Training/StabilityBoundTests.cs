using GdSweeps.Configs;
using GdSweeps.Grid;
using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Training;

/// <summary>
/// Full-batch GD on a quadratic is stable if and only if lr &lt; 2/lambda_max: the sweep must agree with the theory.
/// </summary>
[TestClass]
public sealed class StabilityBoundTests
{
    private static IEnumerable<(RunSpec Spec, RunOutcome Outcome)> Unclipped(SweepPlan config) =>
        Some.Runs(config).Where(s => s.Get(SweepAxes.Clip) is null).Select(s => (s, Trainer.Run(s, config.Settings, CurveSchedule.Steps(s.Get(SweepAxes.Steps), all: false))));

    [TestMethod]
    public void In_the_seed_sweep_every_rate_below_lr_crit_stays_finite_and_every_rate_above_it_diverges()
    {
        var config = Some.Config();
        var checkedRuns = 0;
        foreach (var (spec, outcome) in Unclipped(config))
        {
            Assert.AreNotEqual(0.0, spec.Get(SweepAxes.W0).ScalarWeight!.Value - spec.Problem.Optimum![0]);
            var above = spec.LearningRate > spec.Problem.LrCritGd;
            Assert.AreEqual(above, outcome.Status == RunStatus.Diverged, $"lr {spec.LearningRate} vs lr_crit {spec.Problem.LrCritGd}");
            checkedRuns++;
        }

        Assert.AreEqual(4 * 25, checkedRuns);
    }

    [TestMethod]
    public void In_the_benchmark_sweep_divergence_is_exactly_where_the_closed_form_crosses_the_threshold()
    {
        // L(w_t) = L* + (lambda/2) e0^2 (1 - lr lambda)^(2t): it crosses 1e12 within the budget only if lr > lr_crit.
        var config = SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", "scale-study.yaml"));
        var checkedRuns = 0;
        foreach (var (spec, outcome) in Unclipped(config))
        {
            var p = spec.Problem;
            var e0 = spec.Get(SweepAxes.W0).ScalarWeight!.Value - p.Optimum![0];
            var q = Math.Abs(1 - (spec.LearningRate * p.HessianMax));
            var logPeak = Math.Log(p.Curvature[0] * e0 * e0) + (2 * spec.Get(SweepAxes.Steps) * Math.Log(Math.Max(q, 1)));
            var predicted = spec.LearningRate > p.LrCritGd && logPeak > Math.Log(config.DivergenceThreshold);
            if (Math.Abs(logPeak - Math.Log(config.DivergenceThreshold)) < 1e-6)
            {
                continue; // on the threshold itself, round-off decides
            }

            Assert.AreEqual(predicted, outcome.Status == RunStatus.Diverged, $"{p.Dataset.Name}/{p.Transform} lr {spec.LearningRate}");
            checkedRuns++;
        }

        Assert.IsGreaterThan(340, checkedRuns);
    }
}
