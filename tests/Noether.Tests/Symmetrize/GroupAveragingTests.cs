using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Common;
using Noether.Runtime;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Symmetrize;

public class GroupAveragingTests
{
    [Theory]
    [InlineData("C8")]
    [InlineData("D4")]
    [InlineData("S4")]
    public void Forward_IsInvariant_UnderEveryElement(string name)
    {
        using var scope = NewDisposeScope();
        var group = (FiniteGroup)Group.Parse(name);
        var rho = group.Regular;
        TorchRuntime.Seed(1);
        var model = new GroupAveraging(new Mlp(rho.Dim, new[] { 16 }, 3), rho);
        var x = randn(new long[] { 10, rho.Dim }, generator: new Generator(2));
        var report = EquivarianceCheck.Invariance(v => model.forward(v), new RepresentationAction(rho), x, samples: 100);
        Assert.Equal(group.Order, report.PerElement.Count);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void Forward_IsEquivariant_WithAnOutputRepresentation()
    {
        using var scope = NewDisposeScope();
        var group = Group.Dihedral(4);
        var rhoIn = group.Regular;
        var rhoOut = group.Standard; // the E1 action on the plane
        TorchRuntime.Seed(3);
        var model = new GroupAveraging(new Mlp(8, new[] { 16 }, 2), rhoIn, rhoOut);
        var x = randn(new long[] { 10, 8 }, generator: new Generator(4));
        var report = EquivarianceCheck.Run(v => model.forward(v), new RepresentationAction(rhoIn), new RepresentationAction(rhoOut), x);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
        // The plain MLP is not equivariant.
        var plain = new Mlp(8, new[] { 16 }, 2);
        var broken = EquivarianceCheck.Run(v => plain.forward(v), new RepresentationAction(rhoIn), new RepresentationAction(rhoOut), x);
        Assert.True(broken.MaxRelativeError > 0.05, broken.ToString());
    }

    [Fact]
    public void Forward_AfterMovingToFloat64_IsInvariantToFloat64Precision()
    {
        // .to(dtype) replaces the registered buffers; the module must use the new ones.
        using var scope = NewDisposeScope();
        var rho = Group.Dihedral(4).Regular;
        TorchRuntime.Seed(13);
        var model = new GroupAveraging(new Mlp(8, new[] { 16 }, 3), rho, Group.Dihedral(4).Irrep("E1") + Group.Dihedral(4).Irrep("A1"));
        model.to(ScalarType.Float64);
        var x = randn(new long[] { 5, 8 }, dtype: ScalarType.Float64, generator: new Generator(14));
        var report = EquivarianceCheck.Run(v => model.forward(v), new RepresentationAction(rho), new RepresentationAction(model.Output!), x);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void Constructor_RejectsContinuousGroups_AndForwardRejectsBadShapes()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new GroupAveraging(new Mlp(2, Array.Empty<int>(), 1), Group.SO2.Standard));
        var model = new GroupAveraging(new Mlp(4, Array.Empty<int>(), 1), Group.Cyclic(4).Regular);
        var e = Assert.Throws<ArgumentException>(() => model.forward(zeros(2, 5)));
        Assert.Contains("(batch, 4)", e.Message);
    }

    [Fact]
    public void RandomGroupAction_MovesEachRowByAGroupElement_Deterministically()
    {
        using var scope = NewDisposeScope();
        var rho = Group.Cyclic(6).Regular;
        using var augment = new RandomGroupAction(rho);
        var x = randn(new long[] { 20, 6 }, generator: new Generator(5));
        var a = augment.Apply(x, new Generator(9));
        var b = augment.Apply(x, new Generator(9));
        Assert.Equal(0.0, (a - b).abs().max().ToDouble());
        var images = rho.Group.Elements.Select(g => new RepresentationAction(rho).Apply(g, x)).ToArray();
        for (int i = 0; i < 20; i++)
            Assert.Contains(images, img => (img[i] - a[i]).abs().max().ToDouble() < 1e-6);
    }
}

[Collection("NoParallel")]
public class GroupAveragingLeakTests
{
    [Fact]
    public void Forward_LeaksNoTensors_AndSurvivesTheConstructionScope()
    {
        GroupAveraging model;
        using (NewDisposeScope()) model = new GroupAveraging(new Mlp(8, new[] { 8 }, 2), Group.Cyclic(8).Regular);
        using var scope = NewDisposeScope();
        var x = randn(3, 8);
        model.forward(x); // buffers were detached: they outlive the scope they were built in
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope()) model.forward(x);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        model.Dispose();
    }
}
