using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GdSweeps.Configs;
using GdSweeps.Training;

namespace GdSweeps.Grid;

/// <summary>
/// The product of a sweep's axes in a fixed order (<see cref="SweepConfig.AxisNames"/>, the last varying fastest), with zipped
/// axes moving together and excluded combinations left out. A pure function of the config.
/// </summary>
public static class SweepGrid
{
    private const int LearningRateAxis = 11;
    private const int SeedAxis = 10;
    private static readonly string[] NoneName = ["none"];

    /// <summary>Every run of <paramref name="config"/>, lazily, in grid order.</summary>
    public static IEnumerable<RunSpec> Runs(SweepConfig config)
    {
        long index = 0;
        foreach (var point in Points(config))
        {
            yield return Spec(config, point, index++);
        }
    }

    /// <summary>The number of runs, counted without building them.</summary>
    public static long Count(SweepConfig config) => Points(config).LongCount();

    /// <summary>The index of each axis's value at every grid point, after zips and exclusions.</summary>
    public static IEnumerable<int[]> Points(SweepConfig config)
    {
        var lengths = config.AxisLengths;
        var dims = Dimensions(config);
        var digits = new int[dims.Count];
        var rules = config.Excludes.Select(r => Compile(config, r)).ToList();
        if (lengths.Any(l => l == 0))
        {
            yield break;
        }

        while (true)
        {
            var point = new int[lengths.Length];
            for (var d = 0; d < dims.Count; d++)
            {
                foreach (var axis in dims[d].Axes)
                {
                    point[axis] = digits[d];
                }
            }

            if (!rules.Any(rule => rule.All(m => m.Accepted[point[m.Axis]])))
            {
                yield return point;
            }

            var k = dims.Count - 1;
            while (k >= 0 && ++digits[k] == dims[k].Length)
            {
                digits[k--] = 0;
            }

            if (k < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Builds the run at <paramref name="point"/>.</summary>
    public static RunSpec Spec(SweepConfig config, int[] point, long index, double? learningRate = null)
    {
        var problemIndex = (((((point[0] * config.Transforms.Count) + point[1]) * config.Models.Count) + point[2]) * config.Losses.Count) + point[3];
        var w0 = config.W0[point[4]];
        var spec = new RunSpec
        {
            Index = index,
            RunId = "",
            GroupId = "",
            Problem = config.Problems[problemIndex],
            Init = w0 with { Bias = config.B0[point[5]] },
            Optimizer = config.Optimizers[point[6]],
            Schedule = config.Schedules[point[7]],
            Steps = config.Steps[point[8]],
            Clip = config.Clips[point[9]],
            Seed = config.Seeds[point[10]],
            LearningRate = learningRate ?? config.LearningRates[point[LearningRateAxis]],
            IsRefinement = learningRate is not null,
        };
        var group = Key(config, spec, withLearningRateAndSeed: false);
        return spec with
        {
            GroupId = Hash(group),
            RunId = Hash(Key(config, spec, withLearningRateAndSeed: true)),
        };
    }

    /// <summary>Everything that defines a run's numbers, as text. The dataset enters by fingerprint, so renaming it keeps its runs.</summary>
    /// <remarks>The kernel (sums or per sample) is left out: both compute the same math.</remarks>
    private static string Key(SweepConfig config, RunSpec spec, bool withLearningRateAndSeed)
    {
        var p = spec.Problem;
        var key = string.Create(
            CultureInfo.InvariantCulture,
            $"gdsweeps/run/v2|data={p.Dataset.Fingerprint}|transform={p.Transform.Label}|model={ModelName(p.Model)}|loss={p.Loss.Label}|w0={spec.Init.Label}|b0={(p.Model == ModelKind.Affine ? spec.Init.Bias.ToString("R", CultureInfo.InvariantCulture) : "-")}|optimizer={spec.Optimizer.Label}|schedule={spec.Schedule.Label}|steps={spec.Steps}|clip={spec.Clip?.Label ?? "none"}|diverge={config.DivergenceThreshold:R}|tol={config.Tolerance:R}");
        return withLearningRateAndSeed
            ? string.Create(CultureInfo.InvariantCulture, $"{key}|seed={spec.Seed}|lr={spec.LearningRate:R}")
            : key;
    }

    public static string ModelName(ModelKind model) => model == ModelKind.Linear ? "linear" : "affine";

    private static string Hash(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    private sealed record Dimension(int[] Axes, int Length);

    private static List<Dimension> Dimensions(SweepConfig config)
    {
        var lengths = config.AxisLengths;
        var dims = new List<Dimension>();
        var placed = new HashSet<int>();
        for (var axis = 0; axis < lengths.Length; axis++)
        {
            if (placed.Contains(axis))
            {
                continue;
            }

            var zip = config.Zips.FirstOrDefault(z => z.Contains(SweepConfig.AxisNames[axis]));
            var axes = zip is null ? [axis] : zip.Select(n => IndexOf(n)).Order().ToArray();
            foreach (var a in axes)
            {
                placed.Add(a);
            }

            dims.Add(new Dimension(axes, lengths[axes[0]]));
        }

        return dims;
    }

    private static int IndexOf(string axisName) => SweepConfig.AxisNames.ToList().IndexOf(axisName);

    private sealed record AxisMatch(int Axis, bool[] Accepted);

    private static List<AxisMatch> Compile(SweepConfig config, ExcludeRule rule) =>
        rule.Match.Select(kv =>
        {
            var axis = IndexOf(kv.Key);
            var names = Names(config, axis);
            return new AxisMatch(axis, names.Select(n => kv.Value.Any(v => Matches(v, n))).ToArray());
        }).ToList();

    /// <summary>The names each value of axis <paramref name="axis"/> answers to in <c>exclude</c> rules.</summary>
    public static IReadOnlyList<string[]> Names(SweepConfig config, int axis)
    {
        static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return axis switch
        {
            0 => config.Datasets.Select(d => new[] { d.Name }).ToList(),
            1 => config.Transforms.Select(t => new[] { t.Label }).ToList(),
            2 => config.Models.Select(m => new[] { ModelName(m) }).ToList(),
            3 => config.Losses.Select(l => new[] { l.Name, l.Label }).ToList(),
            4 => config.W0.Select(w => new[] { w.Label }).ToList(),
            5 => config.B0.Select(b => new[] { R(b) }).ToList(),
            6 => config.Optimizers.Select(o => new[] { o.Name, o.Label }).ToList(),
            7 => config.Schedules.Select(s => new[] { s.Name, s.Label }).ToList(),
            8 => config.Steps.Select(s => new[] { s.ToString(CultureInfo.InvariantCulture) }).ToList(),
            9 => config.Clips.Select(c => c is null ? NoneName : [R(c.Threshold), c.Label]).ToList(),
            10 => config.Seeds.Select(s => new[] { s.ToString(CultureInfo.InvariantCulture) }).ToList(),
            11 => config.LearningRates.Select(lr => new[] { R(lr) }).ToList(),
            _ => throw new ArgumentOutOfRangeException(nameof(axis)),
        };
    }

    private static bool Matches(string wanted, string[] names) =>
        names.Any(n => string.Equals(n, wanted, StringComparison.Ordinal)
            || (double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                && double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a == b));

    /// <summary>The indices of the learning-rate and seed axes (the ones a group does not fix).</summary>
    public static (int LearningRate, int Seed) FreeAxes => (LearningRateAxis, SeedAxis);
}
