using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Pipeline;

/// <summary>
/// A run's identity holds every input that can change what is stored: a rerun recomputes exactly what changed.
/// </summary>
[TestClass]
public sealed class RunIdentityTests
{
    private static async Task<SweepSession.Outcome> RerunAsync(SweepPlan plan, string dir) =>
        await SweepSession.RunAsync(plan, dir, new RunOptions(2), null, CancellationToken.None);

    private static Task AssertSameFilesAsync(string expected, string actual)
    {
        CollectionAssert.AreEqual(Stored.TableBytes(expected), Stored.TableBytes(actual));
        return Task.CompletedTask;
    }

    [TestMethod]
    public async Task A_rerun_with_the_per_sample_kernel_recomputes_every_run_and_equals_a_fresh_per_sample_sweep()
    {
        var plan = Some.Config();
        var dir = await Some.SweepAsync(plan);

        var again = await RerunAsync(plan.PerSample, dir);

        Assert.AreEqual(400L, again.Totals.Computed);
        Assert.AreEqual(0L, again.Totals.Reused);
        await AssertSameFilesAsync(await Some.SweepAsync(plan.PerSample), dir);
    }

    [TestMethod]
    public async Task A_rerun_keeping_every_step_recomputes_and_its_curves_hold_every_step()
    {
        var plan = Some.Config();
        var dir = await Some.SweepAsync(plan);
        var all = plan.With(c => c with { Curve = CurveMode.All });

        var again = await RerunAsync(all, dir);

        Assert.AreEqual(400L, again.Totals.Computed);
        await AssertSameFilesAsync(await Some.SweepAsync(all), dir);
        var runs = await Stored.RunsAsync(dir);
        var curves = await Stored.CurvesAsync(dir);
        Assert.AreEqual(runs.Sum(r => r.StepsRun + 1L), curves.Count);
    }

    [TestMethod]
    [DataRow("divergence_threshold: 1.0e10")]
    [DataRow("tolerance: 1.0e-8")]
    [DataRow("kernel: per-sample")]
    [DataRow("curve: all")]
    public async Task A_changed_setting_recomputes_every_run(string setting)
    {
        var dir = await Some.SweepAsync(Some.Config());

        var again = await RerunAsync(Some.Config(Some.SeedYaml + "\n" + setting + "\n"), dir);

        Assert.AreEqual(400L, again.Totals.Computed);
    }

    [TestMethod]
    public async Task A_changed_axis_value_recomputes_exactly_its_runs_and_nothing_else()
    {
        var dir = await Some.SweepAsync(Some.Config());
        var changed = Some.Config(Some.SeedYaml.Replace("clip: [none, 1, 10, 100]", "clip: [none, 1, 10, 1000]", StringComparison.Ordinal));

        var again = await RerunAsync(changed, dir);

        Assert.AreEqual(100L, again.Totals.Computed);
        Assert.AreEqual(300L, again.Totals.Reused);
        await AssertSameFilesAsync(await Some.SweepAsync(changed), dir);
    }

    [TestMethod]
    public async Task A_rerun_with_nothing_changed_computes_nothing_and_keeps_the_bytes()
    {
        var plan = Some.Config();
        var dir = await Some.SweepAsync(plan);
        var before = Stored.TableBytes(dir);

        var again = await RerunAsync(Some.Config(), dir);

        Assert.AreEqual(0L, again.Totals.Computed);
        CollectionAssert.AreEqual(before, Stored.TableBytes(dir));
    }

    [TestMethod]
    public void The_identity_covers_every_axis_and_every_setting_that_changes_a_stored_value()
    {
        // One run of the seed, and the same run with each input changed: every change gives another id.
        var baseline = Some.Runs(Some.Config())[0].Id;
        string[] changes =
        [
            "kernel: per-sample", "curve: all", "divergence_threshold: 1.0e11", "tolerance: 1.0e-7", "b0: 1", "model: affine",
            "loss: huber", "optimizer: momentum", "schedule: {warmup: 2}", "seeds: [3]",
        ];
        foreach (var change in changes)
        {
            var changed = Some.Runs(Some.Config(Some.SeedYaml + "\n" + change + "\n"))[0];
            Assert.AreNotEqual(baseline, changed.Id, change);
        }

        var start = Some.Runs(Some.Config(Some.SeedYaml.Replace("w0: 1", "w0: 1.5", StringComparison.Ordinal)))[0].Id;
        Assert.AreNotEqual(baseline, start, "w0");
        var steps = Some.Runs(Some.Config(Some.SeedYaml.Replace("steps: 1000", "steps: 999", StringComparison.Ordinal)))[0].Id;
        Assert.AreNotEqual(baseline, steps, "steps");
        var data = Some.Runs(Some.Config(Some.SeedYaml.Replace("y: [2, 200]", "y: [2, 201]", StringComparison.Ordinal)))[0].Id;
        Assert.AreNotEqual(baseline, data, "data");
    }
}
