using BenchmarkDotNet.Attributes;
using Noether.Data;
using Noether.Nn.Points;
using Noether.Representations;
using Noether.Runtime;
using Noether.Symmetrize;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Benchmarks;

/// <summary>The three operations issue 5 compares with e3nn 0.5.1 and the reference EGNN (float32, CPU):
/// the fully connected tensor product 16x0e+16x1o+16x2e ⊗ 0e+1o+2e → 16x0e+16x1o+16x2e on 4,096 examples
/// (forward, and forward + backward), spherical harmonics l ≤ 3 of 10^5 vectors (forward + backward),
/// and one EGNN training step with Adam (<see cref="FusedAdam"/>, as the nbody task trains) on an N-body batch of
/// 100 systems (4 layers × 64).</summary>
[MemoryDiagnoser]
public class PointsBenchmarks
{
    private FullyConnectedTensorProduct? _product;
    private Tensor? _x, _y, _vectors;
    private NBodyPredictor? _egnn;
    private FusedAdam? _adam;
    private Tensor? _states, _targets;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(1);
        var irreps = Irreps.Parse("16x0e+16x1o+16x2e");
        _product = new FullyConnectedTensorProduct(irreps, Irreps.Parse("0e+1o+2e"), irreps);
        _x = torch.randn(4096, irreps.Dim);
        _y = torch.randn(4096, 9);
        _vectors = torch.randn(100_000, 3);
        _egnn = new NBodyPredictor("egnn");
        _adam = new FusedAdam(_egnn.parameters(), learningRate: 5e-4);
        using var set = NBodySimulation.Generate(100, seed: 1);
        _states = torch.cat(new[] { set.Positions, set.Velocities, set.Charges }, 2);
        _targets = set.Targets.clone();
    }

    /// <summary>Tensor product, forward only.</summary>
    [Benchmark]
    public double TensorProductForward()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return _product!.forward(_x!, _y!).shape[1];
    }

    /// <summary>Tensor product, forward and backward (weights and inputs).</summary>
    [Benchmark]
    public double TensorProductForwardBackward()
    {
        using var scope = torch.NewDisposeScope();
        var x = _x!.detach().requires_grad_(true);
        var y = _y!.detach().requires_grad_(true);
        _product!.forward(x, y).square().sum().backward();
        _product.zero_grad();
        return x.grad!.shape[0];
    }

    /// <summary>Spherical harmonics l = 0…3 of 10^5 vectors, forward and backward.</summary>
    [Benchmark]
    public double SphericalHarmonicsForwardBackward()
    {
        using var scope = torch.NewDisposeScope();
        var v = _vectors!.detach().requires_grad_(true);
        SphericalHarmonics.Evaluate(new[] { 0, 1, 2, 3 }, v, SphericalHarmonicsNormalization.Component).square().sum().backward();
        return v.grad!.shape[0];
    }

    /// <summary>One EGNN training step (forward, MSE, backward, Adam) on 100 N-body systems.</summary>
    [Benchmark]
    public double EgnnTrainingStep()
    {
        using var scope = torch.NewDisposeScope();
        _adam!.ZeroGrad();
        var loss = torch.nn.functional.mse_loss(_egnn!.forward(_states!), _targets!);
        loss.backward();
        _adam.Step();
        return loss.ToDouble();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _product?.Dispose();
        _adam?.Dispose();
        _egnn?.Dispose();
        foreach (var t in new[] { _x, _y, _vectors, _states, _targets }) t?.Dispose();
    }
}
