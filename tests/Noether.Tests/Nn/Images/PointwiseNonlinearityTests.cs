using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class PointwiseNonlinearityTests
{
    public static IEnumerable<object[]> PermutationFields => new[]
    {
        new object[] { "C4", "regular", PointwiseFunction.ReLU },
        new object[] { "C8", "trivial+regular", PointwiseFunction.ELU },
        new object[] { "D4", "regular", PointwiseFunction.Tanh },
        new object[] { "D8", "quotient+trivial", PointwiseFunction.GELU },
        new object[] { "C8", "quotient", PointwiseFunction.LeakyReLU },
    };

    [Theory, MemberData(nameof(PermutationFields))]
    public void Forward_IsExactlyEquivariant_OnPermutationFields_Float32(string group, string fields, PointwiseFunction function)
    {
        using var scope = NewDisposeScope();
        var layer = new PointwiseNonlinearity(Field(Space(group), fields, 2), function);
        var report = Check(layer, Input(layer.In, 9, seed: 1));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void Forward_IsExactlyEquivariant_InFloat64()
    {
        using var scope = NewDisposeScope();
        var layer = new PointwiseNonlinearity(Space("D4").Regular(2), PointwiseFunction.ELU);
        var report = Check(layer, Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64));
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void ReLU_OnARegularField_EqualsTorchRelu()
    {
        using var scope = NewDisposeScope();
        var layer = new PointwiseNonlinearity(Space("C8").Regular(3));
        var x = Input(layer.In, 5, seed: 3);
        Assert.Equal(0.0, (layer.forward(x) - x.relu()).abs().max().ToDouble());
    }

    [Fact]
    public void CustomFunction_IsAppliedElementwise()
    {
        using var scope = NewDisposeScope();
        var layer = new PointwiseNonlinearity(Space("C4").Regular(1), v => v.square(), "square");
        var x = Input(layer.In, 3, seed: 4);
        Assert.Equal(0.0, (layer.forward(x) - x * x).abs().max().ToDouble());
        Assert.Contains("square", layer.ToString());
    }

    [Fact]
    public void IrrepField_IsRejected_NamingTheField()
    {
        // E1 rotates its two channels: relu(R v) ≠ R relu(v), so the constructor refuses it.
        var space = Space("C8");
        var e = Assert.Throws<ArgumentException>(() => new PointwiseNonlinearity(space.Regular(1) + space.Irrep("E1", 1)));
        Assert.Contains("field 1 'E1'", e.Message);
        Assert.Contains("permutation", e.Message);
        // B of C4 is a sign representation (−1), not a permutation either.
        Assert.Throws<ArgumentException>(() => new PointwiseNonlinearity(Space("C4").Irrep("B", 1)));
    }

    [Fact]
    public void Forward_WrongChannelCount_NamesExpectedAndActual()
    {
        using var scope = NewDisposeScope();
        var layer = new PointwiseNonlinearity(Space("C4").Regular(2));
        var e = Assert.Throws<ArgumentException>(() => layer.forward(zeros(1, 7, 5, 5)));
        Assert.Contains("(batch, 8, height, width)", e.Message);
        Assert.Contains("[1, 7, 5, 5]", e.Message);
    }
}
