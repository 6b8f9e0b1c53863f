using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GdSweeps.Configs;
using GdSweeps.Transforms;

namespace GdSweeps.Grid;

/// <summary>The cartesian product of a sweep's axes, in a fixed order: dataset, transform, w0, steps, clip, learning rate.</summary>
public static class SweepGrid
{
    /// <summary>Every run of <paramref name="config"/>, lazily, in grid order.</summary>
    public static IEnumerable<RunSpec> Runs(SweepConfig config)
    {
        long index = 0;
        foreach (var problem in config.Problems)
        {
            foreach (var w0 in config.W0)
            {
                foreach (var steps in config.Steps)
                {
                    foreach (var clip in config.Clips)
                    {
                        foreach (var lr in config.LearningRates)
                        {
                            var id = RunId(config, problem.Dataset.Fingerprint, Transform.Name(problem.Transform), w0, lr, clip, steps);
                            yield return new RunSpec(index++, id, problem, w0, lr, clip, steps);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The first 16 hex digits of SHA-256 over everything that defines a run's numbers.</summary>
    /// <remarks>
    /// The dataset enters by fingerprint, not name, so renaming a dataset keeps its runs, and changing its values does not.
    /// The kernel (sums or per sample) is left out: both compute the same math.
    /// </remarks>
    public static string RunId(
        SweepConfig config, string datasetFingerprint, string transform, double w0, double lr, double? clip, int steps)
    {
        var key = string.Create(
            CultureInfo.InvariantCulture,
            $"gdsweeps/run/v1|data={datasetFingerprint}|transform={transform}|model={SweepConfig.Model}|loss={SweepConfig.Loss}|optimizer={SweepConfig.Optimizer}|w0={w0:R}|lr={lr:R}|clip={(clip is { } c ? c.ToString("R", CultureInfo.InvariantCulture) : "none")}|steps={steps}|diverge={config.DivergenceThreshold:R}|tol={config.Tolerance:R}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
