using BenchmarkDotNet.Attributes;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Generic;
using Noether.Representations;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Benchmarks;

/// <summary>The equivariant-basis solve for a 270-dimensional O(5) representation on each side (uncached), and an
/// EMLP forward + backward at batch 500 (CPU, float32).</summary>
[MemoryDiagnoser]
public class EmlpBenchmarks
{
    private TensorRepresentation? _big;
    private Emlp? _model;
    private Tensor? _x;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        var g = MatrixGroup.O(5);
        _big = TensorRepresentation.Parse("20+20V+6T(2)", g);
        random.manual_seed(1);
        _model = new Emlp(TensorRepresentation.Parse("2V", g), TensorRepresentation.Parse("1", g), TensorRepresentation.Parse("32+16V+4T(2)", g), 3);
        _x = randn(500, 10);
    }

    [Benchmark]
    public int SolveBasis270x270() => EquivariantBasis.Solve(_big!, _big!, useCache: false).Dim;

    [Benchmark]
    public double EmlpForwardBackwardBatch500()
    {
        using var scope = NewDisposeScope();
        _model!.zero_grad();
        var loss = _model.forward(_x!).pow(2).mean();
        loss.backward();
        return loss.ToDouble();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model?.Dispose();
        _x?.Dispose();
    }
}
