using Noether.Nn.Points;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Points;

/// <summary>Point layers built in one scope keep working after it ends, and their forward passes leave no
/// live tensors behind (STYLE.md §6).</summary>
[Collection("NoParallel")]
public class PointsLeakTests
{
    [Fact]
    public void Forward_LeaksNoTensors_AndModulesSurviveTheirConstructionScope()
    {
        FullyConnectedTensorProduct product;
        TensorFieldNetwork network;
        Gate gate;
        using (torch.NewDisposeScope())
        {
            product = new FullyConnectedTensorProduct(Irreps.Parse("2x0e+2x1o"), Irreps.Parse("0e+1o"), Irreps.Parse("2x0e+1x1o+1x1e"));
            network = new TensorFieldNetwork(1, Irreps.Parse("4x0e+2x1o"), Irreps.Parse("1x0e"), layers: 1, cutoff: 3.0);
            gate = new Gate(Irreps.Parse("2x0e"), Irreps.Parse("1x0e"), Irreps.Parse("1x1o"));
        }
        using (product)
        using (network)
        using (gate)
        {
            // Warm the per-dtype table caches, which live with the module on purpose.
            using (torch.NewDisposeScope())
            {
                product.forward(torch.randn(2, 8), torch.randn(2, 4));
                network.Forward(torch.randn(1, 3, 3), torch.ones(1, 3, 1));
            }
            DisposeScopeManager.Statistics.Reset();
            using (torch.NewDisposeScope())
            {
                product.forward(torch.randn(5, 8), torch.randn(5, 4));
                network.Forward(torch.randn(2, 4, 3), torch.ones(2, 4, 1));
                network.EnergyAndForces(torch.randn(2, 4, 3), torch.ones(2, 4, 1));
                gate.forward(torch.randn(3, 6));
            }
            Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }
}
