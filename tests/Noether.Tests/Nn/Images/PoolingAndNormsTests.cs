using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Images;

public class BlurPoolAndInvariantNormsTests
{
    [Theory]
    [InlineData("C4")]
    [InlineData("D4")]
    [InlineData("C8")]
    public void BlurPool_CommutesExactlyWithLatticeSymmetries_OnEvenSizes(string group)
    {
        // 28 → 14: the 2×2 blocks tile the image symmetrically about its centre.
        using var scope = NewDisposeScope();
        var space = GSpace2D.For(Group.Parse(group));
        var type = space.Regular(2);
        var pool = new BlurPool(type.Size);
        var x = randn(new long[] { 2, type.Size, 28, 28 }, generator: new Generator(1));
        var report = EquivarianceCheck.Run(v => pool.forward(v), new FieldAction(type), new FieldAction(type), x, R2ConvTests.LatticeElements(space));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
        Assert.Equal(new long[] { 2, type.Size, 14, 14 }, pool.forward(x).shape);
    }

    [Fact]
    public void BlurPool_OfAConstantImage_IsThatConstantInside()
    {
        using var scope = NewDisposeScope();
        var y = new BlurPool(1).forward(ones(1, 1, 8, 8));
        Assert.Equal(1.0, y[0, 0, 2, 2].ToDouble(), 6); // away from the zero-padded border
    }

    [Fact]
    public void InvariantNorms_AreInvariant_AndEqualTheFieldNorms()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.ContinuousRotations(3);
        var type = new FieldType(space, space.Group.IrrepsUpTo(3).Cast<Noether.Representations.Representation>());
        var norms = new InvariantNorms(type);
        Assert.Equal(4, norms.Out.Size);
        var x = randn(new long[] { 2, 7, 9, 9 }, dtype: ScalarType.Float64, generator: new Generator(2));
        var so2 = (SO2Group)space.Group;
        var quarterTurns = Enumerable.Range(0, 4).Select(k => (GroupElement)so2.Rotation(k * Math.PI / 2)).ToArray();
        var report = EquivarianceCheck.Run(v => norms.forward(v), new FieldAction(type), new FieldAction(norms.Out), x, quarterTurns);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
        var y = norms.forward(x);
        var expected = x.narrow(1, 1, 2).pow(2).sum(1).sqrt(); // the E1 field
        Assert.True((y.select(1, 1) - expected).abs().max().ToDouble() < 1e-6);
        Assert.Throws<ArgumentException>(() => norms.forward(zeros(1, 6, 5, 5)));
    }
}
