using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Tests.Nn.Images;

public class EquivariantSequentialTests
{
    [Fact]
    public void MismatchedFieldTypes_BetweenLayers_NameBothTypes()
    {
        var space = GSpace2D.Rotations(4);
        var e = Assert.Throws<ArgumentException>(() => new EquivariantSequential(new (string, Module<Tensor, Tensor>)[]
        {
            ("conv", new R2Conv(space.Trivial(1), space.Regular(2), 3)),
            ("bn", new InnerBatchNorm(space.Regular(3))),
        }));
        Assert.Contains("'bn' follows 'conv'", e.Message);
        Assert.Contains("8 channels", e.Message);
        Assert.Contains("12 channels", e.Message);
    }

    [Fact]
    public void MismatchedGSpaces_BetweenLayers_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new EquivariantSequential(new (string, Module<Tensor, Tensor>)[]
        {
            ("conv", new R2Conv(GSpace2D.Rotations(4).Trivial(1), GSpace2D.Rotations(4).Regular(1), 3)),
            ("relu", new PointwiseNonlinearity(GSpace2D.Rotations(8).Regular(1))),
        }));
        Assert.Contains("C4 on R²", e.Message);
        Assert.Contains("C8 on R²", e.Message);
    }

    [Fact]
    public void Chain_IsEquivariant_AndDeclaresItsEnds()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.FlipsRotations(4);
        var chain = new EquivariantSequential(new (string, Module<Tensor, Tensor>)[]
        {
            ("conv", new R2Conv(space.Trivial(1), space.Regular(2), 3, seed: 1)),
            ("relu", new PointwiseNonlinearity(space.Regular(2))),
            ("pool", new GroupPooling(space.Regular(2))),
        });
        Assert.Equal(1, chain.In.Size);
        Assert.Equal(2, chain.Out.Size);
        var x = randn(new long[] { 2, 1, 9, 9 }, generator: new Generator(2));
        var report = EquivarianceCheck.Run(v => chain.forward(v), new FieldAction(chain.In), new FieldAction(chain.Out), x, R2ConvTests.LatticeElements(space));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void PositionalLayers_AreNamedLikeSequential_AndDeclareTheirEnds()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(4);
        var chain = new EquivariantSequential(
            new R2Conv(space.Trivial(1), space.Regular(2), 3, seed: 1),
            new PointwiseNonlinearity(space.Regular(2)),
            new GlobalInvariantPool(space.Regular(2)));
        Assert.Equal(new[] { "0", "1", "2" }, chain.Layers.Select(l => l.Name));
        Assert.Equal(space.Trivial(1), chain.In);
        Assert.Equal(space.Trivial(2), chain.Out);
        Assert.Equal(new long[] { 2, 2 }, chain.forward(randn(2, 1, 9, 9)).shape);
    }

    [Fact]
    public void PositionalLayers_ThatDoNotChain_NamePositionsAndBothTypes()
    {
        var space = GSpace2D.Rotations(4);
        var e = Assert.Throws<ArgumentException>(() => new EquivariantSequential(
            new R2Conv(space.Trivial(1), space.Regular(2), 3),
            new InnerBatchNorm(space.Regular(3))));
        Assert.Contains("Layer 1 (InnerBatchNorm) cannot follow layer 0 (R2Conv)", e.Message);
        Assert.Contains("[C4 on R²: 2×regular] (8 channels)", e.Message);
        Assert.Contains("[C4 on R²: 3×regular] (12 channels)", e.Message);
        Assert.Equal("layers", e.ParamName);
    }

    [Fact]
    public void PositionalLayers_RejectAPlainModule_ByPosition()
    {
        var space = GSpace2D.Rotations(4);
        var e = Assert.Throws<ArgumentException>(() => new EquivariantSequential(
            new R2Conv(space.Trivial(1), space.Regular(2), 3), ReLU()));
        Assert.Contains("Layer 1 (ReLU) declares no field types", e.Message);
    }
}
