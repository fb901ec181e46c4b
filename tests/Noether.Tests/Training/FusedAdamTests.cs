using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Tests.Training;

[Collection("NoParallel")] // the two models are drawn from the global torch generator
public class FusedAdamTests
{
    private static TorchSharp.Modules.Sequential Model(int seed)
    {
        torch.manual_seed(seed);
        return Sequential(Linear(4, 8), SiLU(), Linear(8, 8), SiLU(), Linear(8, 2));
    }

    [Fact]
    public void Steps_MatchTorchAdam_WithWeightDecay_AndSurviveAModuleZeroGrad()
    {
        using var scope = torch.NewDisposeScope();
        using var reference = Model(3);
        using var fused = Model(3);
        using var adam = torch.optim.Adam(reference.parameters(), lr: 1e-2, weight_decay: 1e-3);
        using var fusedAdam = new FusedAdam(fused.parameters(), learningRate: 1e-2, weightDecay: 1e-3);
        using var generator = new torch.Generator(5);
        for (var step = 0; step < 6; step++)
        {
            var x = torch.randn(new long[] { 16, 4 }, generator: generator);
            var y = torch.randn(new long[] { 16, 2 }, generator: generator);
            adam.zero_grad();
            torch.nn.functional.mse_loss(reference.forward(x), y).backward();
            adam.step();
            // Every other step through the module's own zero_grad, which may drop the gradient views.
            if (step % 2 == 0) fusedAdam.ZeroGrad(); else fused.zero_grad();
            torch.nn.functional.mse_loss(fused.forward(x), y).backward();
            fusedAdam.Step();
        }
        foreach (var (a, b) in reference.parameters().Zip(fused.parameters()))
            Assert.True((a - b).abs().max().ToDouble() < 1e-6, $"parameters differ by {(a - b).abs().max().ToDouble():E2}");
        Assert.True(reference.parameters().First().abs().sum().ToDouble() > 0);
    }

    [Fact]
    public void Constructor_RejectsNoParametersAndBadHyperparameters()
    {
        using var model = Model(4);
        Assert.Throws<ArgumentException>(() => new FusedAdam(Array.Empty<TorchSharp.Modules.Parameter>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FusedAdam(model.parameters(), beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FusedAdam(model.parameters(), learningRate: -1));
    }
}
