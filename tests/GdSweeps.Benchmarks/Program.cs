using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(GdSweeps.Benchmarks.KernelBenchmarks).Assembly).Run(args);
