using BenchmarkDotNet.Attributes;
using Noether.Equivariance;
using Noether.Nn.Images;
using Noether.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Noether.Benchmarks;

/// <summary>R2Conv forward+backward for C8 regular fields, 8 → 8 fields (64 → 64 channels), 5×5 kernel,
/// batch 32 at 64×64 (the reference case; e2cnn 0.2.3 takes 461 ms, its exported conv 456 ms),
/// against the exported plain Conv2d, and eval-mode inference with the cached kernel.</summary>
[MemoryDiagnoser]
public class R2ConvBenchmarks
{
    private R2Conv? _conv;
    private Conv2d? _plain;
    private Tensor? _input;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        var space = GSpace2D.Rotations(8);
        _conv = new R2Conv(space.Regular(8), space.Regular(8), kernelSize: 5, seed: 1);
        _plain = _conv.ToPlainModule();
        _input = randn(new long[] { 32, 64, 64, 64 }, generator: new Generator(2));
    }

    /// <summary>Training step cost: kernel expansion, convolution, backward to the basis weights.</summary>
    [Benchmark(Baseline = true)]
    public double R2ConvForwardBackward()
    {
        using var scope = NewDisposeScope();
        _conv!.train();
        _conv.zero_grad();
        var y = _conv.forward(_input!);
        y.sum().backward();
        return y.shape[1];
    }

    /// <summary>The same convolution as a plain Conv2d (what the exported network runs).</summary>
    [Benchmark]
    public double PlainConvForwardBackward()
    {
        using var scope = NewDisposeScope();
        _plain!.zero_grad();
        var y = _plain.forward(_input!);
        y.sum().backward();
        return y.shape[1];
    }

    /// <summary>Inference with the kernel cached in eval mode.</summary>
    [Benchmark]
    public double R2ConvEvalForward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _conv!.eval();
        return _conv.forward(_input!).shape[1];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _conv?.Dispose();
        _plain?.Dispose();
        _input?.Dispose();
    }
}
