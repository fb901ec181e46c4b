using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Images;

public class R2ConvTests
{
    /// <summary>The elements that map the pixel grid onto itself: multiples of 90° and flips.</summary>
    internal static IReadOnlyList<GroupElement> LatticeElements(GSpace2D space) =>
        (space.Group.IsFinite ? space.Group.Elements : space.Group.Sample(0, 0).Concat(new[] { space.Group.Identity }))
        .Where(g => GridResampling.IsExact(space.Action(g), 9, 9)).ToArray();

    public static IEnumerable<object[]> Spaces => new[]
    {
        new object[] { "C4", "regular", "regular" },
        new object[] { "C8", "regular", "regular" },
        new object[] { "C16", "trivial", "regular" },
        new object[] { "D4", "regular", "regular" },
        new object[] { "D8", "regular", "trivial" },
        new object[] { "C8", "irreps", "regular" },
        new object[] { "D4", "quotient", "regular" },
    };

    private static FieldType Type(GSpace2D space, string kind, int count) => kind switch
    {
        "regular" => space.Regular(count),
        "trivial" => space.Trivial(count),
        "irreps" => new FieldType(space, space.Group.Irreps.Cast<Noether.Representations.Representation>()),
        "quotient" => space.Quotient("C4", count),
        _ => throw new ArgumentException(kind),
    };

    [Theory, MemberData(nameof(Spaces))]
    public void Forward_IsExactlyEquivariant_UnderLatticeSymmetries_Float32(string group, string inKind, string outKind)
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.For(Group.Parse(group));
        var conv = new R2Conv(Type(space, inKind, 2), Type(space, outKind, 3), kernelSize: 5, seed: 1);
        var x = randn(new long[] { 2, conv.In.Size, 9, 9 }, generator: new Generator(2));
        var report = EquivarianceCheck.Run(v => conv.forward(v), new FieldAction(conv.In), new FieldAction(conv.Out), x, LatticeElements(space));
        Assert.True(report.PerElement.Count >= 4);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Theory]
    [InlineData("C4")]
    [InlineData("D4")]
    [InlineData("C8")]
    public void Forward_IsExactlyEquivariant_InFloat64(string group)
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.For(Group.Parse(group));
        var conv = new R2Conv(space.Regular(2), space.Regular(2), kernelSize: 3, seed: 3);
        conv.to(ScalarType.Float64);
        var x = randn(new long[] { 2, conv.In.Size, 7, 7 }, dtype: ScalarType.Float64, generator: new Generator(4));
        var report = EquivarianceCheck.Run(v => conv.forward(v), new FieldAction(conv.In), new FieldAction(conv.Out), x, LatticeElements(space));
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void Forward_At45Degrees_IsApproximatelyEquivariant_OnSmoothInputs()
    {
        // 45° rotations resample the grid (bilinear): declared approximate. Measured on a smooth, centred
        // input (a Gaussian blob field), inside the inscribed disc.
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(8);
        var conv = new R2Conv(space.Trivial(1), space.Regular(1), kernelSize: 5, seed: 5);
        var coords = linspace(-1, 1, 33);
        var yy = coords.unsqueeze(1).expand(33, 33);
        var xx = coords.unsqueeze(0).expand(33, 33);
        var blob = (-(xx - 0.2).pow(2) / 0.08 - (yy + 0.1).pow(2) / 0.02).exp() * ((xx.pow(2) + yy.pow(2)) < 0.5);
        var x = blob.reshape(1, 1, 33, 33);
        var eighth = ((CyclicGroup)space.Group).Rotation(1);
        var report = EquivarianceCheck.Run(v => conv.forward(v), new FieldAction(conv.In), new FieldAction(conv.Out), x, new GroupElement[] { eighth });
        Assert.True(report.MaxRelativeError < Tolerance.Interpolated, report.ToString());
    }

    [Fact]
    public void ContinuousRotations_IrrepFields_AreEquivariantAt90Degrees()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.ContinuousRotations(maximumFrequency: 3);
        var type = new FieldType(space, new[] { space.Group.Irrep(0), space.Group.Irrep(1), space.Group.Irrep(2), space.Group.Irrep(3) }.Cast<Noether.Representations.Representation>());
        var conv = new R2Conv(space.Trivial(1), type, kernelSize: 7, seed: 6);
        var x = randn(new long[] { 2, 1, 11, 11 }, generator: new Generator(7));
        var so2 = (SO2Group)space.Group;
        var quarterTurns = Enumerable.Range(0, 4).Select(k => (GroupElement)so2.Rotation(k * Math.PI / 2)).ToArray();
        var report = EquivarianceCheck.Run(v => conv.forward(v), new FieldAction(conv.In), new FieldAction(conv.Out), x, quarterTurns);
        Assert.True(report.MaxRelativeError < 1e-4, report.ToString());
    }

    [Fact]
    public void Bias_IsOnlyOnTheTrivialPartOfEachField()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(4);
        var conv = new R2Conv(space.Trivial(1), space.Regular(2) + space.Irrep("E1", 1), kernelSize: 3, seed: 8);
        using (no_grad()) conv.get_parameter("bias")!.copy_(tensor(new float[] { 1, 2 }));
        var (_, bias) = conv.Expand();
        // Regular field: a constant over its 4 channels; the E1 field gets no bias at all.
        var b = bias!.data<float>().ToArray();
        Assert.Equal(2, conv.get_parameter("bias")!.numel());
        Assert.All(b.Take(4), v => Assert.Equal(b[0], v, 5));
        Assert.All(b.Skip(4).Take(4), v => Assert.Equal(b[4], v, 5));
        Assert.All(b.Skip(8), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ToPlainModule_GivesTheSameOutputs()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.FlipsRotations(4);
        var conv = new R2Conv(space.Regular(2), space.Regular(3), kernelSize: 5, seed: 9);
        using (no_grad()) conv.get_parameter("bias")!.copy_(randn(3));
        var plain = conv.ToPlainModule();
        var x = randn(new long[] { 2, 16, 12, 12 }, generator: new Generator(10));
        Assert.True((conv.forward(x) - plain.forward(x)).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void EvalMode_CachesTheKernel_AndTrainModeRecomputes()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(4);
        var conv = new R2Conv(space.Regular(1), space.Regular(1), kernelSize: 3, seed: 11);
        var x = randn(1, 4, 6, 6);
        conv.eval();
        var before = conv.forward(x);
        using (no_grad()) conv.get_parameter("weights_0_0")!.mul_(2);
        Assert.Equal(0.0, (conv.forward(x) - before).abs().max().ToDouble()); // cached
        conv.train();
        Assert.True((conv.forward(x) - before).abs().max().ToDouble() > 1e-3); // recomputed
    }

    [Fact]
    public void BadInput_GivesClearErrors()
    {
        using var scope = NewDisposeScope();
        var c4 = GSpace2D.Rotations(4);
        var c8 = GSpace2D.Rotations(8);
        var even = Assert.Throws<ArgumentException>(() => new R2Conv(c4.Regular(1), c4.Regular(1), kernelSize: 4));
        Assert.Contains("odd", even.Message);
        var mixed = Assert.Throws<ArgumentException>(() => new R2Conv(c4.Regular(1), c8.Regular(1), kernelSize: 3));
        Assert.Contains("C4 on R²", mixed.Message);
        var conv = new R2Conv(c4.Regular(2), c4.Regular(1), kernelSize: 3);
        var channels = Assert.Throws<ArgumentException>(() => conv.forward(zeros(1, 7, 5, 5)));
        Assert.Contains("(batch, 8, height, width)", channels.Message);
        Assert.Contains("7", channels.Message);
    }

    [Fact]
    public void Backward_ReachesTheBasisWeights()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(4);
        var conv = new R2Conv(space.Trivial(1), space.Regular(2), kernelSize: 3, seed: 12);
        conv.forward(randn(2, 1, 6, 6)).pow(2).sum().backward();
        Assert.All(conv.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().ToDouble() > 0));
    }
}
