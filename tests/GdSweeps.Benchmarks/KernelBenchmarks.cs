using BenchmarkDotNet.Attributes;
using GdSweeps.Configs;
using GdSweeps.Data;
using GdSweeps.Numerics;
using GdSweeps.Plan;
using GdSweeps.Training;
using GdSweeps.Transforms;

namespace GdSweeps.Benchmarks;

/// <summary>
/// One full-batch step's loss and gradient of <c>y = w*x</c> over n in-cache samples (the benchmark's dataset C size),
/// per kernel. Sample-steps per second = n / (time per operation).
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class KernelBenchmarks
{
    private double[] x = [];
    private double[] y = [];
    private Problem problem = null!;
    private readonly double[] theta = [1.7];
    private readonly double[] gradient = new double[1];

    [Params(1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        x = Ranges.Logspace(1, 1e4, N);
        y = Array.ConvertAll(x, v => 2 * v);
        problem = new Problem(new Dataset("C", x, y), TransformSpec.Both(TransformKind.MaxAbs), ModelKind.Linear, LossSpec.Mse);
        x = problem.Z;
        y = problem.Y;
    }

    /// <summary>The per-sample kernel: three FMAs per sample in the widest vectors, four accumulators each.</summary>
    [Benchmark(Baseline = true)]
    public double PerSampleSimd() => LinearMse.LossAndGradient(x, y, 1.7, out _);

    /// <summary>The straightforward scalar loop, for reference.</summary>
    [Benchmark]
    public double PerSampleScalarLoop()
    {
        double loss = 0, grad = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var r = (1.7 * x[i]) - y[i];
            loss += r * r;
            grad += r * x[i];
        }

        return loss + grad;
    }

    /// <summary>The exact shortcut from the sums: O(1) per step whatever n is.</summary>
    [Benchmark]
    public double FromSums() => Objective.FromSums(problem, theta, gradient);
}
