using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class GatedNonlinearityTests
{
    public static IEnumerable<object[]> GatedFields => new[]
    {
        new object[] { "C8", "E1+regular+E2" },
        new object[] { "D4", "E1+regular" },
        new object[] { "SO2", "E1+E2+E3" },
        new object[] { "O2", "irreps" },
    };

    [Theory, MemberData(nameof(GatedFields))]
    public void Forward_IsExactlyEquivariant_UnderLatticeSymmetries_Float32(string group, string gatedFields)
    {
        using var scope = NewDisposeScope();
        var space = Space(group);
        var gated = Field(space, gatedFields, 2);
        var layer = new GatedNonlinearity(space.Trivial(gated.Representations.Count), gated);
        var report = Check(layer, Input(layer.In, 9, seed: 1));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void Forward_IsExactlyEquivariant_InFloat64()
    {
        using var scope = NewDisposeScope();
        var space = Space("C4");
        var layer = new GatedNonlinearity(space.Trivial(3), space.Irrep("E1", 2) + space.Regular(1));
        var report = Check(layer, Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64));
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void EachFieldIsScaledBySigmoidOfItsOwnGate()
    {
        // Gates 0 and ln 3: sigmoid = 1/2 and 3/4. Field 0 (E1, 2 channels) is halved, field 1 (regular C4) scaled by 3/4.
        using var scope = NewDisposeScope();
        var space = Space("C4");
        var layer = new GatedNonlinearity(space.Trivial(2), space.Irrep("E1", 1) + space.Regular(1));
        Assert.Equal(8, layer.In.Size);
        Assert.Equal(6, layer.Out.Size);
        var gates = tensor(new double[] { 0, Math.Log(3) }).reshape(1, 2, 1, 1);
        var fields = arange(1.0, 7.0, dtype: ScalarType.Float64).reshape(1, 6, 1, 1);
        var y = layer.forward(cat(new[] { gates, fields }, 1)).flatten().data<double>().ToArray();
        Assert.Equal(new[] { 0.5, 1.0, 2.25, 3.0, 3.75, 4.5 }, y.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void GateCountMismatch_IsRejected()
    {
        var space = Space("C8");
        var e = Assert.Throws<ArgumentException>(() => new GatedNonlinearity(space.Trivial(2), space.Irrep("E1", 3)));
        Assert.Contains("expected 3 gates", e.Message);
        Assert.Contains("got 2", e.Message);
    }

    [Fact]
    public void NonTrivialGate_IsRejected_NamingIt()
    {
        // An E1 "gate" is not invariant: sigmoid of it would change with the pose.
        var space = Space("C8");
        var e = Assert.Throws<ArgumentException>(() => new GatedNonlinearity(space.Trivial(1) + space.Irrep("E1", 1), space.Irrep("E2", 2)));
        Assert.Contains("gate 1 is 'E1'", e.Message);
    }

    [Fact]
    public void Forward_WrongChannelCount_NamesExpectedAndActual()
    {
        using var scope = NewDisposeScope();
        var space = Space("C4");
        var layer = new GatedNonlinearity(space.Trivial(2), space.Irrep("E1", 2));
        var e = Assert.Throws<ArgumentException>(() => layer.forward(zeros(1, 4, 3, 3)));
        Assert.Contains("(batch, 6, height, width)", e.Message);
        Assert.Contains("[1, 4, 3, 3]", e.Message);
    }
}
