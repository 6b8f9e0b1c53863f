using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GdSweeps.Configs;

namespace GdSweeps.Grid;

/// <summary>
/// Builds each run's identity, once, from every input that can change a stored number: every axis value (by its key),
/// the data (datasets are keyed by name and fingerprint), the kernel, the curve mode, the divergence threshold and
/// tolerance, and <see cref="MathVersion"/>. Equal identity means equal stored rows, so a rerun reuses exactly those.
/// </summary>
/// <remarks>Not thread-safe: one instance per enumeration of the grid.</remarks>
public sealed class RunIdentity
{
    /// <summary>The version of the math: bump it whenever an update rule, the classification or a stored figure changes, so stored runs are recomputed.</summary>
    /// <remarks><c>MathVersionTests</c> holds a digest of reference outcomes and fails when they change without a bump.</remarks>
    public const int MathVersion = 2;

    private readonly string settings;
    private readonly IAxis[] axes;
    private readonly int[] fixedAxes;
    private readonly int seedAxis;
    private readonly int rateAxis;
    private readonly Axis<int> seeds;
    private readonly Axis<double> rates;
    private int[]? lastFixed;
    private byte[] lastGroup = [];

    public RunIdentity(SweepConfig config)
    {
        settings = string.Create(CultureInfo.InvariantCulture,
            $"gdsweeps/run/v3|math={MathVersion}|kernel={(config.Kernel == KernelMode.PerSample ? "per-sample" : "auto")}|curve={(config.Curve == CurveMode.All ? "all" : "log")}|diverge={config.DivergenceThreshold:R}|tol={config.Tolerance:R}");
        axes = [.. config.Axes.All];
        seedAxis = config.Axes.IndexOf(SweepAxes.Seeds.Name);
        rateAxis = config.Axes.IndexOf(SweepAxes.LearningRates.Name);
        fixedAxes = [.. Enumerable.Range(0, axes.Length).Where(a => a != seedAxis && a != rateAxis)];
        seeds = config.Get(SweepAxes.Seeds);
        rates = config.Get(SweepAxes.LearningRates);
    }

    /// <summary>The group and run ids of the grid point <paramref name="point"/> (an index into each axis).</summary>
    public (RunId Group, RunId Run) Of(int[] point)
    {
        if (lastFixed is null || fixedAxes.Any(a => lastFixed[a] != point[a]))
        {
            var key = new StringBuilder(settings);
            foreach (var a in fixedAxes)
            {
                key.Append('|').Append(axes[a].Name).Append('=').Append(axes[a].Key(point[a]));
            }

            lastGroup = SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()))[..8];
            lastFixed = (int[])point.Clone();
        }

        return (new RunId(BinaryPrimitives.ReadUInt64BigEndian(lastGroup)), Run(lastGroup, seeds.Key(point[seedAxis]), rates.Key(point[rateAxis])));
    }

    /// <summary>The id of the run of group <paramref name="group"/> at seed <paramref name="seed"/> and any learning rate (refinement).</summary>
    public static RunId Of(RunId group, int seed, double learningRate)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, group.Value);
        return Run(bytes, SweepAxes.Seeds.Key(seed), SweepAxes.LearningRates.Key(learningRate));
    }

    private static RunId Run(byte[] group, string seedKey, string rateKey)
    {
        var text = Encoding.UTF8.GetBytes($"|seeds={seedKey}|learning_rates={rateKey}");
        var input = new byte[group.Length + text.Length];
        group.CopyTo(input, 0);
        text.CopyTo(input, group.Length);
        return new RunId(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(input)));
    }
}
