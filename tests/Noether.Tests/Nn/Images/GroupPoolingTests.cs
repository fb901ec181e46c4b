using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class GroupPoolingTests
{
    public static IEnumerable<object[]> PermutationFields => new[]
    {
        new object[] { "C4", "regular", GroupPoolingMode.Max },
        new object[] { "C8", "regular+trivial", GroupPoolingMode.Average },
        new object[] { "D4", "regular", GroupPoolingMode.Max },
        new object[] { "D8", "quotient+regular", GroupPoolingMode.Max },
    };

    [Theory, MemberData(nameof(PermutationFields))]
    public void Output_IsInvariantOverTheGroupAxis_AndMovesWithThePixels_Float32(string group, string fields, GroupPoolingMode mode)
    {
        using var scope = NewDisposeScope();
        var layer = new GroupPooling(Field(Space(group), fields, 3), mode);
        Assert.All(layer.Out.Representations, r => Assert.True(r.IsTrivial && r.Dim == 1));
        Assert.Equal(layer.In.Representations.Count, layer.Out.Size);
        var report = Check(layer, Input(layer.In, 9, seed: 1));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void Output_IsExactlyEquivariant_InFloat64()
    {
        using var scope = NewDisposeScope();
        var layer = new GroupPooling(Space("D4").Regular(2), GroupPoolingMode.Average);
        var report = Check(layer, Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64));
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void PoolsAKnownRegularField()
    {
        // A C4 regular field with channels (1, 5, 2, 3) and a trivial field 7: max (5, 7), average (2.75, 7).
        using var scope = NewDisposeScope();
        var type = Space("C4").Regular(1) + Space("C4").Trivial(1);
        var x = tensor(new float[] { 1, 5, 2, 3, 7 }).reshape(1, 5, 1, 1);
        Assert.Equal(new[] { 5f, 7f }, new GroupPooling(type).forward(x).flatten().data<float>().ToArray());
        Assert.Equal(new[] { 2.75f, 7f }, new GroupPooling(type, GroupPoolingMode.Average).forward(x).flatten().data<float>().ToArray());
    }

    [Fact]
    public void BadInput_GivesClearErrors()
    {
        using var scope = NewDisposeScope();
        var space = Space("D4");
        var irrep = Assert.Throws<ArgumentException>(() => new GroupPooling(space.Regular(2) + space.Irrep("E1", 1)));
        Assert.Contains("field 2 'E1'", irrep.Message);
        var layer = new GroupPooling(space.Regular(2));
        var e = Assert.Throws<ArgumentException>(() => layer.forward(zeros(1, 8, 4, 4)));
        Assert.Contains("(batch, 16, height, width)", e.Message);
        Assert.Contains("[1, 8, 4, 4]", e.Message);
    }
}
