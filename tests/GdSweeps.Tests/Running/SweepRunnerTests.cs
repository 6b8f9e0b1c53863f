using GdSweeps.Configs;
using GdSweeps.Results;
using GdSweeps.Running;
using GdSweeps.Tests.Support;
using GdSweeps.Training;

namespace GdSweeps.Tests.Running;

[TestClass]
public sealed class SweepRunnerTests
{
    private static Task<string> RunAsync(SweepPlan config, int threads) => Some.SweepAsync(config, threads);

    [TestMethod]
    public async Task One_thread_and_four_threads_write_the_same_bytes()
    {
        var config = Some.Config();

        var one = await RunAsync(config, 1);
        var four = await RunAsync(config, 4);

        CollectionAssert.AreEqual(Stored.TableBytes(one), Stored.TableBytes(four));
    }

    [TestMethod]
    public async Task Parts_waiting_for_their_commit_stay_few_when_writing_outruns_syncing()
    {
        // One run a part: writing a part takes far less than its syncs, so every writer finds the commits behind.
        var dir = Some.TempDir();
        var temporaries = Path.Combine(dir, ResultFolder.HiddenFolder, "tmp-main");
        var sweep = Some.SweepAsync(Some.Config(), threads: 4, directory: dir, batchSize: 1);
        var most = 0;
        while (!sweep.IsCompleted)
        {
            most = Math.Max(most, Directory.Exists(temporaries) ? Directory.GetFiles(temporaries).Length : 0);
            await Task.Delay(1);
        }

        await sweep;
        Assert.HasCount(400, Stored.Parts(dir));
        Assert.IsEmpty(Directory.GetFiles(temporaries));

        // Two files a part: four writers writing theirs, one part waiting and one being committed. A writer that only
        // waited for the oldest commit once let two writers woken by it both add theirs, and 652 temporaries piled up.
        Assert.IsLessThanOrEqualTo(12, most, $"{most} temporary files at once");
    }

    [TestMethod]
    public async Task Runs_read_back_hold_one_row_per_run_in_grid_order_with_the_seed_numbers()
    {
        var config = Some.Config();
        var dir = await RunAsync(config, 2);

        var runs = await Stored.RunsAsync(dir);

        Assert.HasCount(400, runs);
        CollectionAssert.AreEqual(Enumerable.Range(0, 400).Select(i => (long)i).ToArray(), runs.Select(r => r.RunIndex).ToArray());
        Assert.AreEqual(400, runs.Select(r => r.RunId).Distinct().Count());
        var first = runs[0];
        Assert.AreEqual("x1to100", first.Dataset);
        Assert.AreEqual("none", first.Transform);
        Assert.IsNull(first.Clip);
        Assert.AreEqual(1e-6, first.LearningRate);
        Assert.AreEqual(-10001.0, first.InitialGradient);
        Assert.AreEqual(5000.5, first.InitialLoss);
        Assert.AreEqual(2.0 / 10001, first.LrCrit!.Value, 1e-18);
        Assert.AreEqual(2.0, first.WStar);
        var log1p = runs.First(r => r.Dataset == "x1to10" && r.Transform == "log1p");
        Assert.AreEqual(-1.8315912185, log1p.InitialGradient!.Value, 1e-9);
        CollectionAssert.AreEquivalent(new double?[] { null, 1, 10, 100 }, runs.Select(r => r.Clip).Distinct().ToArray());
        Assert.IsTrue(runs.Where(r => r.Status == "diverged").All(r => r.DivergedAtStep == r.StepsRun));
        Assert.IsTrue(runs.Where(r => r.Status != "diverged").All(r => r.DivergedAtStep is null && r.StepsRun == 1000));
    }

    [TestMethod]
    public async Task Curves_hold_log_spaced_steps_of_every_run_ending_at_its_last_step()
    {
        var config = Some.Config();
        var dir = await RunAsync(config, 2);

        var runs = await Stored.RunsAsync(dir);
        var curves = await Stored.CurvesAsync(dir);

        var byRun = curves.GroupBy(c => c.RunIndex).ToDictionary(g => g.Key, g => g.ToList());
        Assert.HasCount(400, byRun);
        foreach (var run in runs)
        {
            var curve = byRun[run.RunIndex];
            Assert.AreEqual(0, curve[0].Step);
            Assert.AreEqual(run.InitialLoss, curve[0].Loss);
            Assert.AreEqual(run.StepsRun, curve[^1].Step);
            Assert.AreEqual(run.FinalLoss, curve[^1].Loss);
            Assert.AreEqual(run.FinalW, curve[^1].W);
            Assert.IsNull(curve[0].GradientNorm, "one parameter: the norm is abs(gradient), not stored");
            Assert.AreEqual(run.InitialGradientNorm, Math.Abs(curve[0].Gradient));
        }

        var schedule = CurveSchedule.Steps(1000, all: false);
        CollectionAssert.AreEqual(schedule, byRun[runs.First(r => r.Status == "converged").RunIndex].Select(c => c.Step).ToArray());
    }

    [TestMethod]
    public async Task The_per_sample_kernel_gives_the_same_statuses_and_losses_as_the_sums()
    {
        var config = SweepPlan.Load(Path.Combine(Some.RepoRoot, "configs", "scale-study.yaml"));

        var fast = await Stored.RunsAsync(await RunAsync(config, 2));
        var slow = await Stored.RunsAsync(await RunAsync(config.PerSample, 2));

        Assert.HasCount(1392, fast);
        for (var i = 0; i < fast.Count; i++)
        {
            Assert.AreEqual(fast[i].RunIndex, slow[i].RunIndex);
            Assert.AreNotEqual(fast[i].RunId, slow[i].RunId, "the kernel is part of a run's identity");
            Assert.AreEqual(fast[i].Status == "diverged", slow[i].Status == "diverged", $"run {i}");
            Assert.AreEqual(fast[i].StepsRun, slow[i].StepsRun, $"run {i}");
            var onTheBound = Math.Abs((fast[i].LearningRate / fast[i].LrCrit!.Value) - 1) < 1e-9; // round-off decides there
            if ((fast[i].Clip is null || fast[i].LearningRate < fast[i].LrCrit) && !onTheBound)
            {
                Assert.AreEqual(fast[i].Status, slow[i].Status, $"run {i}");
            }

            if (fast[i].Status != "diverged" && fast[i].LearningRate < fast[i].LrCrit)
            {
                // Above lr_crit a clipped run bounces around the optimum, amplifying round-off each step, so only
                // contracting runs can agree in value (and in status, among clipped runs). Losses near the optimum are
                // round-off too: compare them on the scale of the starting loss.
                Assert.AreEqual(fast[i].FinalLoss, slow[i].FinalLoss, (1e-9 * Math.Abs(fast[i].FinalLoss)) + (1e-15 * fast[i].InitialLoss!.Value), $"run {i}");
                Assert.AreEqual(fast[i].FinalW!.Value, slow[i].FinalW!.Value, 1e-9 * Math.Max(1, Math.Abs(fast[i].FinalW!.Value)), $"run {i}");
            }
        }
    }
}
