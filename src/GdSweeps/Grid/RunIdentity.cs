using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GdSweeps.Configs;

namespace GdSweeps.Grid;

/// <summary>
/// Builds each run's identity, once, from every input that can change a stored number: every axis value (by its key,
/// the user's parameters included), the data (datasets are keyed by name and fingerprint), the kernel, the curve mode,
/// the divergence threshold and tolerance, <see cref="MathVersion"/>, and a command trainer's command, inputs'
/// contents,
/// environment and metrics. Equal identity means equal stored rows, so a rerun reuses exactly those.
/// </summary>
/// <remarks>Not thread-safe: one instance per enumeration of the grid.</remarks>
internal sealed class RunIdentity
{
    /// <summary>
    /// The version of the math: bump it whenever an update rule, the classification or a stored figure changes, so
    /// stored runs are recomputed.
    /// </summary>
    /// <remarks><c>MathVersionTests</c> holds a digest of reference outcomes and fails when they change without a
    /// bump.</remarks>
    public const int MathVersion = 4;

    private readonly string settings;
    private readonly IAxis[] axes;
    private readonly int[] fixedAxes;
    private readonly int seedAxis;
    private readonly int rateAxis;
    private readonly string[][] keys;
    private readonly byte[][] seedKeys;
    private readonly byte[][] rateKeys;
    private int[]? lastFixed;
    private byte[] lastGroup = [];

    /// <summary>Another cursor over the same keys, for another thread.</summary>
    public RunIdentity Fork() => new(this);

    private RunIdentity(RunIdentity other)
    {
        (settings, axes, fixedAxes, seedAxis, rateAxis) = (other.settings, other.axes, other.fixedAxes, other.seedAxis, other.rateAxis);
        (keys, seedKeys, rateKeys) = (other.keys, other.seedKeys, other.rateKeys);
    }

    public RunIdentity(SweepConfig config)
    {
        settings = string.Create(CultureInfo.InvariantCulture,
            $"gdsweeps/run/v3|math={MathVersion}|kernel={(config.Kernel == KernelMode.PerSample ? "per-sample" : "auto")}|curve={(config.Curve == CurveMode.All ? "all" : "log")}|diverge={config.DivergenceThreshold:R}|tol={config.Tolerance:R}");

        // Only a command trainer's sweep gains a part, so the built-in models' ids stay what they were.
        if (config.Trainer is { } trainer)
        {
            settings += "|trainer=" + trainer.IdentityKey;
            foreach (var name in config.Parameters)
            {
                var kind = ParamValue.KindOf(((Axis<ParamValue>)config.Axes[name]).Values) switch
                {
                    ParamKind.Whole => "whole",
                    ParamKind.Number => "number",
                    _ => "text",
                };
                settings += $"|param {name} stored as {kind}";
            }
        }
        axes = [.. config.Axes.All];
        seedAxis = config.Axes.IndexOf(SweepAxes.Seeds.Name);
        rateAxis = config.Axes.IndexOf(SweepAxes.LearningRates.Name);
        fixedAxes = [.. Enumerable.Range(0, axes.Length).Where(a => a != seedAxis && a != rateAxis)];
        // Each value's key is made once, not once per run.
        keys = [.. axes.Select(a => Enumerable.Range(0, a.Count).Select(a.Key).ToArray())];
        seedKeys = [.. keys[seedAxis].Select(k => Encoding.UTF8.GetBytes("|seeds=" + k))];
        rateKeys = [.. keys[rateAxis].Select(k => Encoding.UTF8.GetBytes("|learning_rates=" + k))];
    }

    /// <summary>The group and run ids of the grid point <paramref name="point"/> (an index into each axis).</summary>
    public (RunId Group, RunId Run) Of(int[] point)
    {
        var group = GroupOf(point);
        return (group, Run(lastGroup, seedKeys[point[seedAxis]], rateKeys[point[rateAxis]]));
    }

    /// <summary>The group id of the grid point <paramref name="point"/>, made only when its group changes.</summary>
    public RunId GroupOf(int[] point)
    {
        if (lastFixed is null || Changed(point))
        {
            var key = new StringBuilder(settings);
            foreach (var a in fixedAxes)
            {
                key.Append('|').Append(axes[a].Name).Append('=').Append(keys[a][point[a]]);
            }

            lastGroup = SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()))[..8];
            lastFixed = (int[])point.Clone();
        }

        return new RunId(BinaryPrimitives.ReadUInt64BigEndian(lastGroup));
    }

    private bool Changed(int[] point)
    {
        foreach (var a in fixedAxes)
        {
            if (lastFixed![a] != point[a])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The id of the run of group <paramref name="group"/> at seed <paramref name="seed"/> and any learning rate
    /// (refinement).
    /// </summary>
    public static RunId Of(RunId group, int seed, double learningRate)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, group.Value);
        return Run(bytes, Encoding.UTF8.GetBytes("|seeds=" + SweepAxes.Seeds.Key(seed)), Encoding.UTF8.GetBytes("|learning_rates=" + SweepAxes.LearningRates.Key(learningRate)));
    }

    /// <remarks>
    /// The run's id hashes its group's (itself SHA-256 of everything else) with its seed and rate, by XxHash3: a run id
    /// names a run, it guards nothing (the files' SHA-256 does), and SHA-256 cost more per run than training one.
    /// </remarks>
    private static RunId Run(ReadOnlySpan<byte> group, ReadOnlySpan<byte> seedKey, ReadOnlySpan<byte> rateKey)
    {
        Span<byte> input = stackalloc byte[group.Length + seedKey.Length + rateKey.Length];
        group.CopyTo(input);
        seedKey.CopyTo(input[group.Length..]);
        rateKey.CopyTo(input[(group.Length + seedKey.Length)..]);
        return new RunId(System.IO.Hashing.XxHash3.HashToUInt64(input));
    }
}
