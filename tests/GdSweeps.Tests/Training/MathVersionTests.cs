using System.Security.Cryptography;
using GdSweeps.Tests.Support;

namespace GdSweeps.Tests.Training;

/// <summary>
/// Stored runs are reused by identity, and the identity holds <see cref="RunIdentity.MathVersion"/>: when the trainer's
/// numbers change, the version must change with them, or old folders would keep the old numbers.
/// </summary>
[TestClass]
public sealed class MathVersionTests
{
    /// <summary>The digest of the reference outcomes for each math version; a new version adds its line.</summary>
    private static readonly Dictionary<int, string> Digests = new()
    {
        [1] = "283e67d9e36b1b81ec3a9aed303faa4de3d430584996948d5f5fb0553af91aee",
        [2] = "ce3c2a6f2797d8dfd9d8b6644f611107a442513a926b66da0fc4575edbfeb93d",
        [3] = "4850eb9ccfc6b3911f99ddf79b63903cf6f0937e9a5c70a16298060178cd6dce",
        [4] = "48c172d7099c7c57a472c6aa9148ee891d7db585836e018166d954b2afaf8763", // a clipped run that cannot have arrived is in transit, never bounded; momentum arrives at lr c/(1 - beta) a step
    };

    [TestMethod]
    public void The_reference_outcomes_match_the_digest_recorded_for_this_math_version()
    {
        var digest = Digest();

        Assert.IsTrue(Digests.ContainsKey(RunIdentity.MathVersion), $"record the digest of math version {RunIdentity.MathVersion}: {digest}");
        Assert.AreEqual(Digests[RunIdentity.MathVersion], digest,
            $"the trainer's numbers changed: bump RunIdentity.MathVersion (so stored runs are recomputed) and record the new digest {digest}");
    }

    /// <summary>
    /// SHA-256 over every stored number of a fixed set of runs: GD (scalar and general paths), clipping, schedules,
    /// momentum, an affine fit.
    /// </summary>
    private static string Digest()
    {
        var plans = new[]
        {
            Some.Config(),
            Some.Config("""
                datasets: [{name: m, x: [[1, 2], [3, 1], [5, 7], [2, 2]], y: [1, 2, 3, 2]}]
                transforms: [none, standardize]
                model: affine
                w0: [[0.5, -1]]
                optimizer: [gd, {momentum: {beta: 0.9}}, nesterov, normalized]
                schedule: [constant, {warmup: 5, step: {every: 50, gamma: 0.5}}]
                clip: [none, {value: 0.5}, 2]
                learning_rates: [0.001, 0.03, 0.3]
                steps: 200
                """, "math.yaml"),
        };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(double v) => hash.AppendData(BitConverter.GetBytes(v));
        foreach (var plan in plans)
        {
            foreach (var run in Some.Runs(plan))
            {
                var o = Some.Train(run, plan.Settings, allSteps: false);
                hash.AppendData(BitConverter.GetBytes((int)o.Status));
                hash.AppendData(BitConverter.GetBytes(o.StepsRun));
                hash.AppendData(BitConverter.GetBytes(o.ConvergedAtStep ?? -1));
                Add(o.InitialLoss);
                Add(o.FinalLoss);
                Add(o.FinalLossOriginal);
                Add(o.BestLoss);
                Add(o.MaxGradientNorm);
                hash.AppendData(BitConverter.GetBytes(o.ClippedSteps));
                foreach (var v in o.FinalParameters.Concat(o.InitialGradient))
                {
                    Add(v);
                }

                foreach (var c in o.Curve)
                {
                    hash.AppendData(BitConverter.GetBytes(c.Step));
                    Add(c.Loss);
                    Add(c.Gradient);
                    Add(c.GradientNorm);
                    Add(c.W);
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
