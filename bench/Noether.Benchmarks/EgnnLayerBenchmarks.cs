using BenchmarkDotNet.Attributes;
using Noether.Nn.Points;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Benchmarks;

/// <summary>One EGNN layer (64 hidden, 2 edge attributes, velocity: the N-body model's layer) on 100 systems of 5
/// nodes, forward and backward, through the fused kernel and through the tensor form it replaces (float32, CPU,
/// libtorch's default threads). The N-body training step runs four of these.</summary>
[MemoryDiagnoser]
public class EgnnLayerBenchmarks
{
    private EgnnLayer? _layer;
    private Tensor? _h, _x, _v, _a;

    /// <summary>"Kernel" or "TensorForm".</summary>
    [Params("Kernel", "TensorForm")]
    public string Path { get; set; } = "Kernel";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureLoaded();
        torch.manual_seed(1);
        _layer = new EgnnLayer(64, 2, velocity: true) { Path = Enum.Parse<EgnnPath>(Path) };
        _h = torch.randn(100, 5, 64);
        _x = torch.randn(100, 5, 3);
        _v = torch.randn(100, 5, 3);
        _a = torch.randn(100, 5, 5, 2);
    }

    /// <summary>Forward, a scalar of both outputs, backward to the parameters and the inputs.</summary>
    [Benchmark]
    public double ForwardBackward()
    {
        using var scope = torch.NewDisposeScope();
        var h = _h!.detach().requires_grad_(true);
        var x = _x!.detach().requires_grad_(true);
        var (hOut, xOut) = _layer!.Forward(h, x, _v, _a);
        (hOut.square().sum() + xOut.square().sum()).backward();
        _layer.zero_grad();
        return h.grad!.shape[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _layer?.Dispose();
        foreach (var t in new[] { _h, _x, _v, _a }) t?.Dispose();
    }
}
