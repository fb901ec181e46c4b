using System.Diagnostics;
using Noether.Runtime;

namespace Noether.Benchmarks;

/// <summary>Median CPU time per operation of <see cref="PointsBenchmarks"/> with one libtorch thread.</summary>
public static class CpuTime
{
    /// <summary>Runs each operation 3 times to warm up, then <paramref name="repeats"/> times, and prints the median CPU milliseconds.</summary>
    public static void RunPoints(int repeats)
    {
        TorchRuntime.Threads = 1;
        var bench = new PointsBenchmarks();
        bench.Setup();
        var operations = new (string Name, Func<double> Run)[]
        {
            ("tensor product 16x0e+16x1o+16x2e ⊗ 0e+1o+2e, batch 4096, forward", bench.TensorProductForward),
            ("tensor product, forward + backward", bench.TensorProductForwardBackward),
            ("spherical harmonics l ≤ 3, 10^5 vectors, forward + backward", bench.SphericalHarmonicsForwardBackward),
            ("EGNN training step (Adam), 100 N-body systems", bench.EgnnTrainingStep),
        };
        var process = Process.GetCurrentProcess();
        foreach (var (name, run) in operations)
        {
            for (var i = 0; i < 3; i++) run();
            var times = new List<double>();
            for (var i = 0; i < repeats; i++)
            {
                process.Refresh();
                var before = process.TotalProcessorTime;
                run();
                process.Refresh();
                times.Add((process.TotalProcessorTime - before).TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"{name}: median {times[times.Count / 2]:F1} ms CPU (min {times[0]:F1}, max {times[^1]:F1}, n = {repeats})");
        }
        bench.Cleanup();
    }
}
