using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Images;

public class GlobalInvariantPoolTests
{
    // Every kind of field at once: regular, quotient (finite groups), every irrep, and trivial.
    private static FieldType Mixed(GSpace2D space)
    {
        var type = space.Regular(2) + new FieldType(space, space.Group.Irreps.Cast<Representation>()) + space.Trivial(2);
        if (space.Group.IsFinite) type += space.Quotient(space.Group is DihedralGroup ? "C4" : "C2", 1);
        return type;
    }

    public static TheoryData<string> Groups => new() { "C4", "C8", "D4" };

    [Theory, MemberData(nameof(Groups))]
    public void Forward_IsExactlyInvariant_UnderLatticeElements_ForEveryFieldKind(string group)
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.For(Group.Parse(group));
        var type = Mixed(space);
        var pool = new GlobalInvariantPool(type);
        // A random feature map of the mixed type: invariance holds for any input, not only for a conv's output.
        var x = randn(new long[] { 3, type.Size, 9, 9 }, generator: new Generator(4));
        var elements = R2ConvTests.LatticeElements(space);
        Assert.True(elements.Count >= 4);
        var report = EquivarianceCheck.Run(pool.forward, new FieldAction(type), new TrivialAction(space.Group), x, elements);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
        using var y = pool.forward(x);
        Assert.Equal(new long[] { 3, type.Representations.Count }, y.shape);
    }

    [Theory, MemberData(nameof(Groups))]
    public void ConvThenPool_EndsInvariant_AndFeedsAPlainLinear(string group)
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.For(Group.Parse(group));
        var type = Mixed(space);
        var features = new EquivariantSequential(new R2Conv(space.Trivial(1), type, 5, seed: 3), new GlobalInvariantPool(type));
        var model = nn.Sequential(features, nn.Linear(type.Representations.Count, 10));
        var x = randn(new long[] { 2, 1, 9, 9 }, generator: new Generator(5));
        var report = EquivarianceCheck.Run(model.forward, new FieldAction(features.In), new TrivialAction(space.Group), x, R2ConvTests.LatticeElements(space));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
        Assert.Equal(new long[] { 2, 10 }, model.forward(x).shape);
    }

    [Fact]
    public void TrivialFields_PassUnchanged_AndRegularFields_TakeTheirMax()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(4);
        var x = randn(new long[] { 2, 3 + 4, 6, 6 }, generator: new Generator(6));
        var y = new GlobalInvariantPool(space.Trivial(3) + space.Regular(1)).forward(x);
        // Trivial: the spatial mean of the channel itself; regular: the mean over pixels of the max over the 4 channels.
        Assert.True(y.narrow(1, 0, 3).allclose(x.narrow(1, 0, 3).mean(new long[] { 2, 3 }), 1e-6, 1e-6));
        Assert.True(y.narrow(1, 3, 1).allclose(x.narrow(1, 3, 4).amax(new long[] { 1 }).mean(new long[] { 1, 2 }).unsqueeze(1), 1e-6, 1e-6));
    }

    [Fact]
    public void IrrepFields_BecomeTheMeanOfTheirNorm_InFieldOrder()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.ContinuousRotations(2);
        var type = space.Irrep("E1") + space.Trivial(1) + space.Irrep("E2");
        var x = randn(new long[] { 2, 5, 4, 4 }, generator: new Generator(7));
        var y = new GlobalInvariantPool(type).forward(x);
        Assert.True(y.narrow(1, 0, 1).allclose(x.narrow(1, 0, 2).norm(1).mean(new long[] { 1, 2 }).unsqueeze(1), 1e-5, 1e-5));
        Assert.True(y.narrow(1, 1, 1).allclose(x.narrow(1, 2, 1).mean(new long[] { 2, 3 }), 1e-6, 1e-6));
        Assert.True(y.narrow(1, 2, 1).allclose(x.narrow(1, 3, 2).norm(1).mean(new long[] { 1, 2 }).unsqueeze(1), 1e-5, 1e-5));
        Assert.Equal(3, new GlobalInvariantPool(type).Out.Size);
    }

    [Fact]
    public void WrongChannelCount_IsAClearError()
    {
        var space = GSpace2D.Rotations(4);
        using var x = zeros(1, 5, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => new GlobalInvariantPool(space.Regular(2)).forward(x));
        Assert.Contains("8", e.Message);
    }
}
