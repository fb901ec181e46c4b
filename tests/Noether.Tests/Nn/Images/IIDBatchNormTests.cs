using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class IIDBatchNormTests
{
    public static IEnumerable<object[]> Fields => new[]
    {
        new object[] { "C8", "regular" },
        new object[] { "D4", "regular+E1" },
        new object[] { "D8", "quotient+irreps" },
        new object[] { "SO2", "trivial+E1+E2" },
    };

    [Theory, MemberData(nameof(Fields))]
    public void Forward_IsExactlyEquivariant_InTrainAndEvalMode_Float32(string group, string fields)
    {
        using var scope = NewDisposeScope();
        var layer = new IIDBatchNorm(Field(Space(group), fields, 2));
        using (no_grad()) layer.get_parameter("bias")!.copy_(randn(layer.get_parameter("bias")!.shape, generator: new Generator(7)));
        var x = Input(layer.In, 9, seed: 1) * 2 + 1;
        var train = Check(layer, x);
        Assert.True(train.MaxRelativeError < Tolerance.Float32, "train: " + train);
        layer.eval();
        var eval = Check(layer, x);
        Assert.True(eval.MaxRelativeError < Tolerance.Float32, "eval: " + eval);
    }

    [Fact]
    public void Forward_IsExactlyEquivariant_InFloat64_WithANumericalChangeOfBasis()
    {
        // The regular and quotient representations are decomposed numerically; their trivial columns must
        // still project exactly onto the invariant vectors.
        using var scope = NewDisposeScope();
        var layer = new IIDBatchNorm(Field(Space("D4"), "regular+quotient+E1", 1), momentum: 0.5);
        layer.to(ScalarType.Float64);
        var x = Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64) + 1;
        Assert.True(Check(layer, x).MaxRelativeError < Tolerance.Float64);
        layer.eval();
        Assert.True(Check(layer, x).MaxRelativeError < Tolerance.Float64);
    }

    [Fact]
    public void OnRegularFields_EqualsInnerBatchNorm_InTrainAndEvalMode()
    {
        // The only invariant vector of a regular field is the constant one, so IID's projected mean is the
        // field mean and the two layers agree (with zero bias).
        using var scope = NewDisposeScope();
        var type = Space("C4").Regular(3);
        var iid = new IIDBatchNorm(type, momentum: 0.4);
        var inner = new InnerBatchNorm(type, momentum: 0.4);
        var x = Input(type, 5, seed: 3) * 2 + 1;
        Assert.True((iid.forward(x) - inner.forward(x)).abs().max().ToDouble() < 1e-5);
        iid.eval();
        inner.eval();
        Assert.True((iid.forward(x) - inner.forward(x)).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void MeanIsSubtracted_OnlyOnTheTrivialSubspace_AndTheRunningStatisticsMove()
    {
        using var scope = NewDisposeScope();
        var space = Space("C4");
        var layer = new IIDBatchNorm(space.Irrep("E1", 1) + space.Trivial(1), eps: 1e-12);
        layer.to(ScalarType.Float64);
        var x = Input(layer.In, 6, seed: 4, dtype: ScalarType.Float64) + 5;
        var y = layer.forward(x);
        // E1 has no trivial part: it is only rescaled, so its large mean (5, 5) survives.
        var ratio = y.narrow(1, 0, 2) / x.narrow(1, 0, 2);
        Assert.True((ratio - ratio.mean()).abs().max().ToDouble() < 1e-12);
        Assert.Equal(0.0, y.narrow(1, 2, 1).mean().ToDouble(), 9);
        Assert.Equal(1, layer.get_buffer("running_mean")!.numel());
        Assert.True(layer.get_buffer("running_mean")!.ToDouble() > 0.4, "running mean did not move");
        Assert.True(layer.get_buffer("running_var")!.narrow(0, 0, 1).ToDouble() > 3, "E1 running variance did not move");
    }

    [Fact]
    public void Forward_WrongChannelCount_NamesExpectedAndActual()
    {
        using var scope = NewDisposeScope();
        var layer = new IIDBatchNorm(Space("D4").Regular(1));
        var e = Assert.Throws<ArgumentException>(() => layer.forward(zeros(1, 9, 3, 3)));
        Assert.Contains("(batch, 8, height, width)", e.Message);
        Assert.Contains("[1, 9, 3, 3]", e.Message);
    }
}
