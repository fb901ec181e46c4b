using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class NormBatchNormTests
{
    public static IEnumerable<object[]> Fields => new[]
    {
        new object[] { "SO2", "trivial+E1+E2" },
        new object[] { "O2", "irreps" },
        new object[] { "C8", "irreps" },
        new object[] { "D4", "trivial+E1+regular" },
    };

    [Theory, MemberData(nameof(Fields))]
    public void Forward_IsExactlyEquivariant_InTrainAndEvalMode_Float32(string group, string fields)
    {
        using var scope = NewDisposeScope();
        var layer = new NormBatchNorm(Field(Space(group), fields, 2));
        var x = Input(layer.In, 9, seed: 1) * 2 + 0.5;
        var train = Check(layer, x);
        Assert.True(train.MaxRelativeError < Tolerance.Float32, "train: " + train);
        layer.eval();
        var eval = Check(layer, x);
        Assert.True(eval.MaxRelativeError < Tolerance.Float32, "eval: " + eval);
    }

    [Fact]
    public void Forward_IsExactlyEquivariant_InFloat64()
    {
        using var scope = NewDisposeScope();
        var layer = new NormBatchNorm(Field(Space("SO2"), "trivial+E1+E3", 2));
        layer.to(ScalarType.Float64);
        var x = Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64) + 0.5;
        Assert.True(Check(layer, x).MaxRelativeError < Tolerance.Float64);
        layer.eval();
        Assert.True(Check(layer, x).MaxRelativeError < Tolerance.Float64);
    }

    [Fact]
    public void TrainMode_GivesUnitMeanSquare_PerChannelOfEachField_AndCentresOnlyTrivialFields()
    {
        using var scope = NewDisposeScope();
        var space = Space("SO2");
        var layer = new NormBatchNorm(space.Irrep("E1", 1) + space.Trivial(1), eps: 1e-12);
        layer.to(ScalarType.Float64);
        var x = Input(layer.In, 6, seed: 3, dtype: ScalarType.Float64) * 3 + 2;
        var y = layer.forward(x);
        // E1 field: mean over batch and pixels of ‖y‖²/2 is 1, and y is x times one positive number (no centring).
        Assert.Equal(1.0, y.narrow(1, 0, 2).square().sum(1).mean().ToDouble() / 2, 9);
        var ratio = y.narrow(1, 0, 2) / x.narrow(1, 0, 2);
        Assert.True((ratio - ratio.mean()).abs().max().ToDouble() < 1e-12);
        // Trivial channel: ordinary batch norm, mean 0 and (biased) variance 1.
        var t = y.narrow(1, 2, 1);
        Assert.Equal(0.0, t.mean().ToDouble(), 9);
        Assert.Equal(1.0, (t - t.mean()).square().mean().ToDouble(), 9);
    }

    [Fact]
    public void EvalMode_DividesByTheRunningMeanSquaredNorm_AfterItMoves()
    {
        using var scope = NewDisposeScope();
        var layer = new NormBatchNorm(Space("C8").Irrep("E1", 2), momentum: 1.0);
        var x = Input(layer.In, 5, seed: 4) * 4;
        layer.forward(x);
        // momentum 1: running_var is the Bessel-corrected batch mean of ‖x_f‖²/2, n = batch·pixels·2.
        var squared = x.reshape(2, 2, 2, 5, 5).square().sum(2).mean(new long[] { 0, 2, 3 }) / 2;
        double n = 2 * 25 * 2;
        var runningVar = layer.get_buffer("running_var")!;
        Assert.True((runningVar - squared * (n / (n - 1))).abs().max().ToDouble() < 1e-4);
        Assert.True(runningVar.min().ToDouble() > 4, "running variance did not move from 1");
        layer.eval();
        var expected = x / (runningVar.repeat_interleave(2).view(1, 4, 1, 1) + 1e-5).sqrt();
        Assert.True((layer.forward(x) - expected).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void NonOrthogonalOrWrongInput_GivesClearErrors()
    {
        using var scope = NewDisposeScope();
        var layer = new NormBatchNorm(Space("C4").Irrep("E1", 2));
        var e = Assert.Throws<ArgumentException>(() => layer.forward(zeros(1, 5, 3, 3)));
        Assert.Contains("(batch, 4, height, width)", e.Message);
        Assert.Contains("[1, 5, 3, 3]", e.Message);
        Assert.Throws<ArgumentException>(() => new NormBatchNorm(Space("C4").Irrep("E1", 1), eps: 0));
    }
}
