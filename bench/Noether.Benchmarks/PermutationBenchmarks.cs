using BenchmarkDotNet.Attributes;
using Noether.Nn.Graphs;
using Noether.Nn.Sets;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Benchmarks;

/// <summary>Set and graph layers at the sizes issue 4 names: a GIN layer (64 → 64 features) on one batch of 10,000
/// nodes and 100,000 random edges, forward + backward; and a Set Transformer ISAB block (64 → 64 features, 16
/// inducing points, 4 heads) on 64 sets of 1,000 points, forward and forward + backward.</summary>
[MemoryDiagnoser]
public class PermutationBenchmarks
{
    private GinConv? _gin;
    private Tensor? _nodes;
    private Tensor? _edges;
    private InducedSetAttentionBlock? _isab;
    private Tensor? _points;
    private Tensor? _mask;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(1);
        _gin = new GinConv(64, 64);
        _nodes = randn(new long[] { 10_000, 64 }, generator: new Generator(2)).requires_grad_(true);
        _edges = randint(10_000, new long[] { 2, 100_000 }, generator: new Generator(3));
        _isab = new InducedSetAttentionBlock(64, 64, inducingPoints: 16, heads: 4);
        _points = randn(new long[] { 64, 1_000, 64 }, generator: new Generator(4)).requires_grad_(true);
        _mask = ones(new long[] { 64, 1_000 }, ScalarType.Bool);
    }

    /// <summary>GIN message passing, forward and backward.</summary>
    [Benchmark]
    public double GinForwardBackward()
    {
        using var scope = NewDisposeScope();
        var y = _gin!.forward(_nodes!, _edges!);
        var loss = y.square().mean();
        loss.backward();
        return loss.ToDouble();
    }

    /// <summary>ISAB, forward only.</summary>
    [Benchmark]
    public long IsabForward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _isab!.forward(_points!, _mask!).shape[1];
    }

    /// <summary>ISAB, forward and backward.</summary>
    [Benchmark]
    public double IsabForwardBackward()
    {
        using var scope = NewDisposeScope();
        var loss = _isab!.forward(_points!, _mask!).square().mean();
        loss.backward();
        return loss.ToDouble();
    }
}
