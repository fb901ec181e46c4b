using BenchmarkDotNet.Attributes;
using Noether.Data;
using Noether.Groups;
using Noether.Nn.Gauge;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Benchmarks;

/// <summary>L-Conv forward+backward on a batch of 32 SU(2) 32×32 configurations (8 → 8 adjoint channels,
/// reach 1, complex64), and Monte Carlo sweeps of the same batch (SU(2) heat bath and Metropolis, U(1)
/// Metropolis, β = 2, complex128); one call = one sweep of all 32 configurations.</summary>
[MemoryDiagnoser]
public class GaugeBenchmarks
{
    private LConv? _conv;
    private Tensor? _links32;
    private Tensor? _features;
    private Tensor? _su2;
    private Tensor? _u1;
    private Generator? _generator;
    private readonly LatticeMonteCarlo _heatBath = new(GaugeGroup.SU2, 2.0, LinkUpdate.HeatBath);
    private readonly LatticeMonteCarlo _metropolis = new(GaugeGroup.SU2, 2.0, LinkUpdate.Metropolis, hits: 1);
    private readonly LatticeMonteCarlo _u1Metropolis = new(GaugeGroup.U1, 2.0, LinkUpdate.Metropolis, hits: 1);

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        _generator = new Generator(1);
        _conv = new LConv(2, 8, 8, reach: 1, seed: 1);
        _links32 = GaugeLinks.Hot(GaugeGroup.SU2, 32, new long[] { 32, 32 }, _generator, ScalarType.ComplexFloat32);
        var shape = new long[] { 32, 8, 32, 32, 2, 2 };
        _features = torch.complex(randn(shape, generator: _generator), randn(shape, generator: _generator));
        _su2 = GaugeLinks.Hot(GaugeGroup.SU2, 32, new long[] { 32, 32 }, _generator);
        _u1 = GaugeLinks.Hot(GaugeGroup.U1, 32, new long[] { 32, 32 }, _generator);
    }

    /// <summary>L-Conv training step cost: transport, mixing, backward to the complex weights.</summary>
    [Benchmark]
    public double LConvForwardBackward()
    {
        using var scope = NewDisposeScope();
        _conv!.zero_grad();
        var y = _conv.forward(_links32!, _features!);
        real(y).sum().backward();
        return y.shape[1];
    }

    /// <summary>One SU(2) heat-bath sweep of 32 configurations 32×32.</summary>
    [Benchmark]
    public double SU2HeatBathSweep() => Sweep(_heatBath, _su2!);

    /// <summary>One SU(2) Metropolis sweep (one hit) of 32 configurations 32×32.</summary>
    [Benchmark]
    public double SU2MetropolisSweep() => Sweep(_metropolis, _su2!);

    /// <summary>One U(1) Metropolis sweep (one hit) of 32 configurations 32×32.</summary>
    [Benchmark]
    public double U1MetropolisSweep() => Sweep(_u1Metropolis, _u1!);

    private double Sweep(LatticeMonteCarlo mc, Tensor links)
    {
        using var next = mc.Sweep(links, _generator!);
        return next.shape[0];
    }
}
