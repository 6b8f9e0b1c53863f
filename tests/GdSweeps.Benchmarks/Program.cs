using BenchmarkDotNet.Running;

if (args is ["group-memory"])
{
    await GdSweeps.Benchmarks.GroupMemory.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(GdSweeps.Benchmarks.KernelBenchmarks).Assembly).Run(args);
