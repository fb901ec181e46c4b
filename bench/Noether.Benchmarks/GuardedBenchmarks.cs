using BenchmarkDotNet.Attributes;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Benchmarks;

/// <summary>What the checked front doors of <see cref="Guarded"/> cost over the raw TorchSharp calls they guard: a small
/// matmul (where the checks weigh most), a batched one, and reading a scalar (CPU, float32).</summary>
[MemoryDiagnoser]
public class GuardedBenchmarks
{
    private Tensor? _a, _b, _batchA, _batchB, _scalar;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(1);
        _a = randn(64, 16);
        _b = randn(16, 16);
        _batchA = randn(32, 64, 64);
        _batchB = randn(64, 64);
        _scalar = randn(1);
    }

    [Benchmark(Baseline = true)]
    public long MatMulRaw64x16x16()
    {
        using var c = _a!.matmul(_b!);
        return c.shape[0];
    }

    [Benchmark]
    public long MatMulChecked64x16x16()
    {
        using var c = _a!.MatMulChecked(_b!);
        return c.shape[0];
    }

    [Benchmark]
    public long MatMulRawBatch32x64x64()
    {
        using var c = _batchA!.matmul(_batchB!);
        return c.shape[0];
    }

    [Benchmark]
    public long MatMulCheckedBatch32x64x64()
    {
        using var c = _batchA!.MatMulChecked(_batchB!);
        return c.shape[0];
    }

    [Benchmark]
    public double ToDoubleRaw() => _scalar!.ToDouble();

    [Benchmark]
    public double ToDoubleChecked() => _scalar!.ToDoubleChecked();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { _a, _b, _batchA, _batchB, _scalar }) t?.Dispose();
    }
}
