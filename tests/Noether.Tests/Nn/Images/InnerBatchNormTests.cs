using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class InnerBatchNormTests
{
    public static IEnumerable<object[]> PermutationFields => new[]
    {
        new object[] { "C4", "regular" },
        new object[] { "C8", "regular+trivial" },
        new object[] { "D4", "regular" },
        new object[] { "D8", "quotient+regular" },
    };

    [Theory, MemberData(nameof(PermutationFields))]
    public void Forward_IsExactlyEquivariant_InTrainAndEvalMode_Float32(string group, string fields)
    {
        using var scope = NewDisposeScope();
        var layer = new InnerBatchNorm(Field(Space(group), fields, 2));
        var x = Input(layer.In, 9, seed: 1) * 3 + 1;
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
        var layer = new InnerBatchNorm(Space("D4").Regular(2));
        layer.to(ScalarType.Float64);
        var x = Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64) + 0.5;
        Assert.True(Check(layer, x).MaxRelativeError < Tolerance.Float64);
        layer.eval();
        Assert.True(Check(layer, x).MaxRelativeError < Tolerance.Float64);
    }

    [Fact]
    public void FusedPath_ForEqualSizedFields_MatchesTheGeneralStatistics_InTrainAndEval()
    {
        // Equal-sized adjacent fields take the fused batch_norm path (float32 input, float32 buffers); a float64
        // input to a float32 module takes the general path. Both must give the same outputs and running stats.
        using var scope = NewDisposeScope();
        var fused = new InnerBatchNorm(Space("C8").Regular(3), momentum: 0.2);
        var general = new InnerBatchNorm(Space("C8").Regular(3), momentum: 0.2);
        using (no_grad())
            foreach (var (a, b) in new[] { ("weight", new float[] { 1, 2, 0.5f }), ("bias", new float[] { 0.3f, -1, 2 }) })
            {
                fused.get_parameter(a)!.copy_(tensor(b));
                general.get_parameter(a)!.copy_(tensor(b));
            }
        var x = Input(fused.In, 5, seed: 4) * 2 + 0.7;
        for (int step = 0; step < 2; step++)
        {
            var y1 = fused.forward(x);
            var y2 = general.forward(x.to(ScalarType.Float64));
            Assert.True((y1.to(ScalarType.Float64) - y2).abs().max().ToDouble() < 1e-5, $"train step {step}");
        }
        foreach (var buffer in new[] { "running_mean", "running_var" })
            Assert.True((fused.get_buffer(buffer)! - general.get_buffer(buffer)!).abs().max().ToDouble() < 1e-6, buffer);
        fused.eval();
        general.eval();
        Assert.True((fused.forward(x).to(ScalarType.Float64) - general.forward(x.to(ScalarType.Float64))).abs().max().ToDouble() < 1e-5, "eval");
    }

    [Fact]
    public void TrainMode_EqualsBatchNorm2d_OverTheFieldAxis()
    {
        // Statistics per field over (batch, the field's channels, pixels) are BatchNorm2d's statistics on the
        // tensor reshaped to (batch, fields, channels-per-field · H, W): outputs and running stats must agree.
        using var scope = NewDisposeScope();
        var layer = new InnerBatchNorm(Space("C4").Regular(3), momentum: 0.3);
        var reference = nn.BatchNorm2d(3, momentum: 0.3);
        using (no_grad())
        {
            layer.get_parameter("weight")!.copy_(tensor(new float[] { 1, 2, 0.5f }));
            layer.get_parameter("bias")!.copy_(tensor(new float[] { 0, -1, 3 }));
            reference.weight!.copy_(layer.get_parameter("weight")!);
            reference.bias!.copy_(layer.get_parameter("bias")!);
        }
        for (int step = 0; step < 2; step++)
        {
            var x = Input(layer.In, 5, seed: 10 + step, batch: 3) * 2 + step;
            var expected = reference.forward(x.reshape(3, 3, 4 * 5, 5)).reshape(x.shape);
            Assert.True((layer.forward(x) - expected).abs().max().ToDouble() < 1e-5);
        }
        Assert.True((layer.get_buffer("running_mean")! - reference.running_mean!).abs().max().ToDouble() < 1e-6);
        Assert.True((layer.get_buffer("running_var")! - reference.running_var!).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void EvalMode_UsesTheRunningStatistics_AfterTheyMove()
    {
        using var scope = NewDisposeScope();
        var layer = new InnerBatchNorm(Space("C8").Regular(2), momentum: 0.5);
        var x = Input(layer.In, 5, seed: 3) * 2 + 3;
        for (int i = 0; i < 3; i++) layer.forward(x);
        var mean = layer.get_buffer("running_mean")!;
        var variance = layer.get_buffer("running_var")!;
        Assert.True(mean.abs().min().ToDouble() > 1, "running mean did not move");
        layer.eval();
        var fieldOf = arange(16).div(8, rounding_mode: RoundingMode.floor);
        var expected = (x - mean.index_select(0, fieldOf).view(1, 16, 1, 1)) / (variance.index_select(0, fieldOf).view(1, 16, 1, 1) + 1e-5).sqrt();
        Assert.True((layer.forward(x) - expected).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void IrrepField_IsRejected_AndWrongChannelCount_NamesExpectedAndActual()
    {
        using var scope = NewDisposeScope();
        var space = Space("D4");
        var e = Assert.Throws<ArgumentException>(() => new InnerBatchNorm(space.Regular(1) + space.Irrep("E1", 1)));
        Assert.Contains("field 1 'E1'", e.Message);
        var layer = new InnerBatchNorm(space.Regular(2));
        var f = Assert.Throws<ArgumentException>(() => layer.forward(zeros(2, 8, 4, 4)));
        Assert.Contains("(batch, 16, height, width)", f.Message);
        Assert.Contains("[2, 8, 4, 4]", f.Message);
        Assert.Throws<ArgumentException>(() => new InnerBatchNorm(space.Regular(1), momentum: 0));
    }
}
