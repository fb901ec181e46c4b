using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

/// <summary>STYLE.md §6: layers built inside a scope outlive it, and forward leaves no live tensors behind.</summary>
[Collection("NoParallel")]
public class ImageLayerLeakTests
{
    [Fact]
    public void Forward_LeaksNoTensors_InTrainAndEvalMode()
    {
        IIDBatchNorm norm;
        NormMaxPool pool;
        GatedNonlinearity gate;
        var space = Space("D4");
        // Built inside a scope that is then disposed: the registered buffers and parameters must survive.
        using (NewDisposeScope())
        {
            norm = new IIDBatchNorm(space.Regular(2) + space.Irrep("E1", 2));
            pool = new NormMaxPool(norm.Out, kernelSize: 2);
            gate = new GatedNonlinearity(space.Trivial(4), pool.Out);
        }
        using var x = Input(norm.In, 8, seed: 1);
        using var gates = Input(space.Trivial(4), 4, seed: 2);
        using (NewDisposeScope()) gate.forward(cat(new[] { gates, pool.forward(norm.forward(x)) }, 1)); // warm-up
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope())
        {
            gate.forward(cat(new[] { gates, pool.forward(norm.forward(x)) }, 1));
            norm.eval();
            gate.forward(cat(new[] { gates, pool.forward(norm.forward(x)) }, 1));
        }
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True((norm.get_buffer("running_var")! - 1).abs().max().ToDouble() > 0, "running statistics were not updated");
    }
}
