using Noether.Equivariance;
using Noether.Nn.Images;
using Noether.Training;
using Noether.Training.Tasks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Tests.Nn.Images;

public class SymmetryTypeCheckTests
{
    [Theory]
    [InlineData("p4cnn")]
    [InlineData("c8-small")]
    [InlineData("so2")]
    public void UnmodifiedImageModels_PassTheTypeCheck(string name)
    {
        using var model = ImageModels.Create(name, 10, seed: 0);
        var report = SymmetryTypeCheck.Check(model);
        Assert.True(report.Passed, report.ToString());
        Assert.True(report.Layers.Count >= 12);
    }

    [Fact]
    public void PlainLinear_InsertedBetweenEquivariantLayers_IsFlaggedByName()
    {
        var space = GSpace2D.Rotations(8);
        var fields = space.Regular(2);
        using var model = Sequential(
            ("conv", new R2Conv(space.Trivial(1), fields, 5)),
            ("bn", new InnerBatchNorm(fields)),
            ("relu", ReLU()),
            ("mix", Linear(16, 16)),
            ("conv2", new R2Conv(fields, fields, 3)));
        var report = SymmetryTypeCheck.Check(model);
        Assert.False(report.Passed);
        Assert.EndsWith(".mix", report.FirstProblem!.Name);
        Assert.Contains("plain Linear declares no field types", report.FirstProblem.Verdict);
        Assert.Equal(4, report.Layers.Count);   // stops at the first problem
    }

    [Fact]
    public void FieldTypesThatDoNotChain_AreFlagged_WithBothTypes()
    {
        var space = GSpace2D.Rotations(4);
        using var model = Sequential(
            ("a", new R2Conv(space.Trivial(1), space.Regular(2), 3)),
            ("b", new R2Conv(space.Regular(3), space.Regular(3), 3)));
        var report = SymmetryTypeCheck.Check(model);
        Assert.Equal("b", report.FirstProblem!.Name.Split('.')[^1]);
        Assert.Contains("types do not chain", report.FirstProblem.Verdict);
        Assert.Contains("12 channels", report.FirstProblem.Verdict);
        Assert.Contains("8 channels", report.FirstProblem.Verdict);
    }

    [Fact]
    public void PointwiseReLU_OnIrrepFields_IsFlagged_ButPassesOnRegularFields()
    {
        var so2 = GSpace2D.ContinuousRotations(2);
        var irreps = new FieldType(so2, so2.Group.IrrepsUpTo(2).Cast<Noether.Representations.Representation>());
        using var bad = Sequential(("conv", new R2Conv(so2.Trivial(1), irreps, 5)), ("relu", ReLU()));
        var report = SymmetryTypeCheck.Check(bad);
        Assert.Contains("not a permutation representation", report.FirstProblem!.Verdict);

        var c4 = GSpace2D.Rotations(4);
        using var good = Sequential(("conv", new R2Conv(c4.Trivial(1), c4.Regular(2), 5)), ("relu", ReLU()));
        Assert.True(SymmetryTypeCheck.Check(good).Passed);
    }

    [Fact]
    public void PlainCnn_IsFlaggedAtItsFirstConvolution()
    {
        using var cnn = ImageModels.Create("cnn", 10, seed: 0);
        var report = SymmetryTypeCheck.Check(cnn);
        Assert.False(report.Passed);
        Assert.Equal("Conv2d", report.FirstProblem!.Kind);
    }
}
