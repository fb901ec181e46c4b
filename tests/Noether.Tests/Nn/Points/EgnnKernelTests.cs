using System.Runtime.Intrinsics;
using Noether.Nn.Points;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Points;

/// <summary>The fused EGNN layer kernel against the tensor form it replaces: values and gradients (first and second
/// order) as accurate as the tensor form's against float64, on widths, node counts and batches that exercise every code
/// path of the kernel (64- and 16-column panels, 6-row blocks and their remainder, tiles that split a system, one
/// system, no edges).</summary>
[Collection("NoParallel")] // seeds the global torch generator, then draws from it
public class EgnnKernelTests
{
    // 64 columns (one full panel), 80 (a 64 panel and a 16 panel), 32 and 16 (16 panels only); 100 × 20 edges over
    // tiles of 96 (tiles split systems), 13 × 42 edges, 3 × 2, 1 × 12; 0–3 edge attributes; with and without velocity.
    // Each on one thread and on two (the kernel splits systems over libtorch's thread count: another summation order).
    public static TheoryData<int, int, int, int, bool, int> Cases()
    {
        var data = new TheoryData<int, int, int, int, bool, int>();
        foreach (var threads in new[] { 1, 2 })
        {
            data.Add(64, 2, 5, 100, true, threads);
            data.Add(80, 1, 2, 3, false, threads);
            data.Add(32, 0, 7, 13, true, threads);
            data.Add(16, 3, 4, 1, false, threads);
        }
        return data;
    }

    /// <summary>Outputs and every gradient (features, positions, velocities, edge attributes, all parameters) of one
    /// layer under a loss of its outputs (and, for second derivatives, its input positions).</summary>
    private static List<Tensor> Run(EgnnLayer layer, EgnnPath path, Tensor h, Tensor x, Tensor? v, Tensor? a, Loss loss)
    {
        layer.Path = path;
        layer.zero_grad();
        foreach (var t in new[] { h, x, v, a }) t?.grad?.zero_();
        var (hOut, xOut) = layer.Forward(h, x, v, a);
        loss(hOut, xOut, x).backward();
        var result = new List<Tensor> { hOut.detach().clone(), xOut.detach().clone(), h.grad!.clone(), x.grad!.clone() };
        if (v is not null && v.requires_grad) result.Add(v.grad is null ? torch.zeros_like(v) : v.grad.clone());   // unused: no gradient
        if (a is not null) result.Add(a.grad!.clone());
        result.AddRange(layer.parameters().Select(p => p.grad is null ? torch.zeros_like(p) : p.grad.clone()));
        return result;
    }

    private delegate Tensor Loss(Tensor hOut, Tensor xOut, Tensor xIn);

    /// <summary>The kernel against the float32 tensor form, both measured against the float64 tensor form: the kernel
    /// must be as accurate as the form it replaces (within 4× its error, plus a few ulp of the tensor's scale).</summary>
    private static void AssertKernelMatches(EgnnLayer layer, Tensor h, Tensor x, Tensor? v, Tensor? a, Loss loss, string what)
    {
        var tensorForm = Run(layer, EgnnPath.TensorForm, h, x, v, a, loss);
        var kernel = Run(layer, EgnnPath.Kernel, h, x, v, a, loss);
        using var reference64 = new EgnnLayer(layer.Hidden, layer.EdgeAttributes, v is not null);
        reference64.load_state_dict(layer.state_dict());
        reference64.to(ScalarType.Float64);
        Tensor? To64(Tensor? t) => t?.detach().to_type(ScalarType.Float64).requires_grad_(t.requires_grad);
        var exact = Run(reference64, EgnnPath.TensorForm, To64(h)!, To64(x)!, To64(v), To64(a), loss);
        Assert.Equal(exact.Count, kernel.Count);
        for (var k = 0; k < exact.Count; k++)
        {
            var scale = exact[k].abs().max().ToDouble();
            var errorTensorForm = (tensorForm[k].to_type(ScalarType.Float64) - exact[k]).abs().max().ToDouble();
            var errorKernel = (kernel[k].to_type(ScalarType.Float64) - exact[k]).abs().max().ToDouble();
            Assert.True(errorKernel <= 4 * errorTensorForm + 1e-6 * scale,
                $"{what}: tensor {k} is off by {errorKernel:G3} through the kernel, {errorTensorForm:G3} through the tensor form (scale {scale:G3})");
        }
    }

    private static (EgnnLayer Layer, Tensor H, Tensor X, Tensor? V, Tensor? A) Setup(int hidden, int attributes, int nodes, int batch, bool velocity)
    {
        torch.manual_seed(41);
        var layer = new EgnnLayer(hidden, attributes, velocity);
        // φ_x's last layer starts at 0.001 scale; a larger one makes the coordinate path's gradients visible.
        using (torch.no_grad())
            foreach (var (name, p) in layer.named_parameters())
                if (name.StartsWith("_coordinate", StringComparison.Ordinal) && p.shape[0] == 1) p.mul_(100);
        var h = torch.randn(batch, nodes, hidden, requires_grad: true);
        var x = torch.randn(batch, nodes, 3, requires_grad: true);
        var v = velocity ? torch.randn(batch, nodes, 3, requires_grad: true) : null;
        var a = attributes > 0 ? torch.randn(batch, nodes, nodes, attributes, requires_grad: true) : null;
        return (layer, h, x, v, a);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kernel_MatchesTheTensorForm_InValuesAndAllGradients(int hidden, int attributes, int nodes, int batch, bool velocity, int threads)
    {
        using var scope = NewDisposeScope();
        var before = torch.get_num_threads();
        torch.set_num_threads(threads);
        using var restore = new Restore(() => torch.set_num_threads(before));
        var (layer, h, x, v, a) = Setup(hidden, attributes, nodes, batch, velocity);
        using var _ = layer;
        AssertKernelMatches(layer, h, x, v, a, (hOut, xOut, _) => hOut.square().sum() + (xOut * xOut.sin()).sum(),
            $"H={hidden}, A={attributes}, N={nodes}, B={batch}, {threads} thread(s)");
        // The checked gradients are not trivially zero: the coordinate path and the attributes do reach the loss.
        Assert.True(x.grad!.abs().max().ToDouble() > 1e-3);
        if (a is not null) Assert.True(a.grad!.abs().max().ToDouble() > 1e-6);
    }

    [Fact]
    public void Kernel_UnusedOutput_GetsZeroGradient_AsInTheTensorForm()
    {
        // The last EGNN layer's features are not used by a position model: autograd hands the kernel an undefined
        // gradient for the message sum.
        using var scope = NewDisposeScope();
        var (layer, h, x, v, a) = Setup(64, 2, 5, 7, velocity: true);
        using var _ = layer;
        AssertKernelMatches(layer, h, x, v, a, (_, xOut, _) => xOut.square().sum(), "positions only");
        AssertKernelMatches(layer, h, x, v, a, (hOut, _, _) => hOut.square().sum(), "features only");
    }

    [Fact]
    public void Kernel_SecondDerivatives_MatchTheTensorForm()
    {
        // A recorded backward (create_graph, as for forces) re-runs the tensor form inside the kernel's backward.
        using var scope = NewDisposeScope();
        var (layer, h, x, v, a) = Setup(32, 1, 4, 6, velocity: false);
        using var _ = layer;
        AssertKernelMatches(layer, h, x, v, a, (hOut, xOut, xIn) =>
        {
            var energy = hOut.sum() + xOut.square().sum();
            var gradient = torch.autograd.grad(new[] { energy }, new[] { xIn }, retain_graph: true, create_graph: true)[0];
            return gradient.square().sum();
        }, "second order");
    }

    [Fact]
    public void Kernel_OneNode_HasNoEdges_AndMatchesTheTensorForm()
    {
        using var scope = NewDisposeScope();
        var (layer, h, x, v, a) = Setup(16, 0, 1, 3, velocity: true);
        using var _ = layer;
        AssertKernelMatches(layer, h, x, v, a, (hOut, xOut, _) => hOut.square().sum() + xOut.square().sum(), "one node");
    }

    [Fact]
    public void Layer_RejectsMisshapenFeaturesAndVelocities_BeforeEitherPath()
    {
        using var scope = NewDisposeScope();
        using var layer = new EgnnLayer(16, 0, velocity: true) { Path = EgnnPath.Kernel };
        var (h, x, v) = (torch.randn(2, 4, 16), torch.randn(2, 4, 3), torch.randn(2, 4, 3));
        var message = Assert.Throws<ArgumentException>(() => layer.Forward(torch.randn(2, 4, 8), x, v, null)).Message;
        Assert.Contains("(2, 4, 16)", message);
        Assert.Contains("[2, 4, 8]", message);
        message = Assert.Throws<ArgumentException>(() => layer.Forward(h, x, torch.randn(2, 3, 3), null)).Message;
        Assert.Contains("velocities (2, 4, 3)", message);
        Assert.Contains("[2, 3, 3]", message);
        Assert.Contains("needs velocities", Assert.Throws<ArgumentException>(() => layer.Forward(h, x, null, null)).Message);
        Assert.Equal(new long[] { 2, 4, 3 }, layer.Forward(h, x, v, null).X.shape);
    }

    [Fact]
    public void Kernel_IsDeterministic()
    {
        using var scope = NewDisposeScope();
        var (layer, h, x, v, a) = Setup(64, 2, 5, 100, velocity: true);
        using var _ = layer;
        Loss loss = (hOut, xOut, _) => hOut.square().sum() + xOut.square().sum();
        var first = Run(layer, EgnnPath.Kernel, h, x, v, a, loss);
        var second = Run(layer, EgnnPath.Kernel, h, x, v, a, loss);
        for (var k = 0; k < first.Count; k++)
            Assert.True((first[k] - second[k]).abs().max().ToDouble() == 0, $"tensor {k} differs between two identical runs");
    }

    [Fact]
    public void Automatic_UsesTheKernel_OnlyForFloat32CpuWidthsOfMultiplesOf16_WithAcceleratedVectors()
    {
        using var scope = NewDisposeScope();
        var (x32, x64) = (torch.zeros(2, 3, 3), torch.zeros(2, 3, 3, dtype: ScalarType.Float64));
        var (h64, h48, h40) = (torch.zeros(2, 3, 64), torch.zeros(2, 3, 48), torch.zeros(2, 3, 40));
        Assert.Equal(Vector512.IsHardwareAccelerated, EgnnFused.UsesKernel(EgnnPath.Automatic, h64, x32, null));
        Assert.True(EgnnFused.UsesKernel(EgnnPath.Kernel, h48, x32, torch.zeros(2, 3, 3, 2)));
        Assert.False(EgnnFused.UsesKernel(EgnnPath.Kernel, h40, x32, null));
        Assert.False(EgnnFused.UsesKernel(EgnnPath.Kernel, h64.to_type(ScalarType.Float64), x64, null));
        Assert.False(EgnnFused.UsesKernel(EgnnPath.Kernel, h64, x32, torch.zeros(2, 3, 3, 2, dtype: ScalarType.Float64)));
        Assert.False(EgnnFused.UsesKernel(EgnnPath.TensorForm, h64, x32, null));
    }

    [Fact]
    public void Exp_IsWithinTwoUlps_AndSigmoidSaturatesCleanly()
    {
        var random = new Random(5);
        var worst = 0.0;
        for (var k = 0; k < 200_000; k++)
        {
            var x = k < 1000 ? (float)((random.NextDouble() * 2 - 1) * 1e-3) : (float)(random.NextDouble() * 174 - 87);
            var y = (double)EgnnKernel.Exp(Vector512.Create(x)).GetElement(0);
            worst = Math.Max(worst, Math.Abs(y - Math.Exp(x)) / Math.Exp(x));
        }
        Assert.True(worst < 2.5 * 5.97e-8, $"worst relative error {worst:G3}");
        foreach (var u in new[] { -1e30f, -200f, -87.5f, -20f, -1f, 0f, 1f, 20f, 200f, 1e30f })
        {
            var s = (double)EgnnKernel.Sigmoid(Vector512.Create(u)).GetElement(0);
            var exact = 1 / (1 + Math.Exp(-u));
            Assert.True(double.IsFinite(s) && s >= 0 && s <= 1, $"σ({u}) = {s}");
            Assert.True(Math.Abs(s - exact) < 1e-7, $"σ({u}) = {s}, expected {exact}");
        }
    }

    [Fact]
    public void TrainingStep_ThroughTheKernel_LeavesNoLiveTensors()
    {
        // Positions only: the last layer's message sum goes unused, as in the N-body model.
        using var egnn = new Egnn(1, 2, hidden: 64, layers: 2, velocity: true) { Path = EgnnPath.Kernel };
        void Step()
        {
            using var scope = NewDisposeScope();
            var x = torch.randn(4, 5, 3);
            var (_, positions) = egnn.Forward(torch.ones(4, 5, 1), x, torch.randn(4, 5, 3), torch.randn(4, 5, 5, 2));
            (positions - x).square().mean().backward();
        }
        Step();
        DisposeScopeManager.Statistics.Reset();
        Step();
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        // The gradient went back through both kernels to the embedding (the last layer's feature MLP gets none: unused).
        Assert.NotNull(egnn.parameters().First().grad);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
