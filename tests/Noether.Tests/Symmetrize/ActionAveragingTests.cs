using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using Noether.Symmetrize;
using Noether.Training;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Symmetrize;

public class ActionAveragingTests
{
    [Theory]
    [InlineData("cnn")]
    [InlineData("c8-small")]
    public void ImageModel_SymmetrizedOverC4_IsExactlyInvariantToQuarterTurns(string name)
    {
        // The issue-8 acceptance figure: symmetrize over C4 makes any image model invariant to 90° (≤ 1e-5).
        using var scope = NewDisposeScope();
        using var model = ImageTraining.Symmetrized(ImageModels.Create(name, 10, seed: 1));
        model.eval();
        var x = rand(new long[] { 3, 1, 28, 28 }, generator: new Generator(2));
        var quarterTurns = new FieldAction(GSpace2D.Rotations(4).Trivial(1));
        var report = EquivarianceCheck.Invariance(v => model.forward(v), quarterTurns, x, samples: 4);
        Assert.True(report.MaxRelativeError < 1e-5, report.ToString());
    }

    [Fact]
    public void PlainCnn_WithoutSymmetrization_IsNotInvariant()
    {
        // The same check fails for the plain model, so the test above can fail.
        using var scope = NewDisposeScope();
        using var model = ImageModels.Create("cnn", 10, seed: 1);
        model.eval();
        var x = rand(new long[] { 3, 1, 28, 28 }, generator: new Generator(2));
        var report = EquivarianceCheck.Invariance(v => model.forward(v), new FieldAction(GSpace2D.Rotations(4).Trivial(1)), x, samples: 4);
        Assert.True(report.MaxRelativeError > 1e-5, report.ToString());
    }

    [Fact]
    public void EquivariantOutput_IsMappedBack_AndAFiniteAverageIsExactInFloat64()
    {
        // f = a linear map on R^4 that commutes with nothing; averaged over C4 acting by cyclic shifts on input and
        // output, f̄ commutes with every shift: f̄(g·x) = g·f̄(x) to float64 rounding.
        using var scope = NewDisposeScope();
        var group = Group.Cyclic(4);
        var action = new RepresentationAction(((FiniteGroup)group).Regular);
        var linear = nn.Linear(4, 4, hasBias: false, dtype: ScalarType.Float64);
        var averaged = new ActionAveraging(linear, action, group.Elements, output: action);
        Assert.True(averaged.IsExact);
        var x = randn(new long[] { 5, 4 }, dtype: ScalarType.Float64, generator: new Generator(3));
        var report = EquivarianceCheck.Run(v => averaged.forward(v), action, action, x, group.Elements);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
        var plain = EquivarianceCheck.Run(v => linear.forward(v), action, action, x, group.Elements);
        Assert.True(plain.MaxRelativeError > 1e-3, plain.ToString());
    }

    [Fact]
    public void MonteCarloAverage_OverSO2_IsDeterministicForASeed_AndRejectsBadArguments()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.ContinuousRotations(2);
        var action = new FieldAction(space.Trivial(1));
        using var cnn = ImageModels.Create("cnn", 10, seed: 4);
        cnn.eval();
        var a = new ActionAveraging(cnn, action, samples: 8, seed: 5);
        var b = new ActionAveraging(cnn, action, samples: 8, seed: 5);
        var x = rand(new long[] { 2, 1, 28, 28 }, generator: new Generator(6));
        using (no_grad())
            Assert.Equal(0.0, (a.forward(x) - b.forward(x)).abs().max().ToDouble());
        Assert.False(a.IsExact);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActionAveraging(cnn, action, samples: 0, seed: 1));
        Assert.Throws<ArgumentException>(() => new ActionAveraging(cnn, action, Array.Empty<GroupElement>()));
    }
}
