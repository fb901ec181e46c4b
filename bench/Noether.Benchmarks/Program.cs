using BenchmarkDotNet.Running;
using Noether.Benchmarks;
using Noether.Runtime;

TorchRuntime.EnsureLoaded();
if (args.Length > 0 && args[0] == "--points-cpu-time")
{
    // On a shared, loaded machine wall-clock times say little; this measures the process's CPU time per
    // operation with one libtorch thread, which is close to the wall time on an idle core.
    CpuTime.RunPoints(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
