using Noether.Equivariance;
using Noether.Nn.Images;
using Noether.Nn.Points;
using Noether.Representations;
using Noether.Tests.Equivariance;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training;

public class ModelDiagnosticsCompositionTests
{
    private static Tensor Images() => randn(new long[] { 2, 1, 17, 17 }, generator: new Generator(1));

    [Fact]
    public void Check_UserSequentialOfR2Convs_ChecksEveryLayer_AllExact()
    {
        using var scope = NewDisposeScope();
        using var net = EquivarianceCheckOfTests.C8Sequential();
        // Three layers (conv, ReLU on regular fields, conv), each on the activations it receives, at the quarter turns.
        var (error, layers) = ModelDiagnostics.Check(net, Images());
        Assert.Equal(new[] { "a", "b", "c" }, layers.Select(l => l.Name.Split('.')[^1]));
        Assert.All(layers, l => Assert.True(l.EquivarianceError < Tolerance.Float32 && l.Verdict == EquivarianceVerdict.Exact, $"{l.Name}: {l.EquivarianceError}"));
        Assert.True(error < Tolerance.Float32, error.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Check_PlainConv2dInSequential_IsReportedNotDeclared()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(8);
        using var net = nn.Sequential(("a", new R2Conv(space.Trivial(1), space.Regular(2), kernelSize: 5, seed: 1)),
            ("b", nn.ReLU()), ("plain", nn.Conv2d(16, 4, 3)));
        var (_, layers) = ModelDiagnostics.Check(net, Images());
        Assert.Equal(3, layers.Count);
        Assert.Equal(EquivarianceVerdict.Exact, layers[0].Verdict);
        Assert.Equal(EquivarianceVerdict.Exact, layers[1].Verdict);
        Assert.Equal("Conv2d", layers[2].Kind);
        Assert.Equal(EquivarianceVerdict.NotDeclared, layers[2].Verdict);
        Assert.Null(layers[2].EquivarianceError);
    }

    [Fact]
    public void Layers_TensorProduct_AndEgnn_AreCheckedWithTheirDeclaredTypes()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(2);
        using var tp = new FullyConnectedTensorProduct(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("0e+1o"), Irreps.Parse("2x0e+2x1o"));
        tp.to(ScalarType.Float64);
        var tpLayers = ModelDiagnostics.Layers(tp);
        Assert.Single(tpLayers);
        Assert.True(tpLayers[0].EquivarianceError < Tolerance.Float64, tpLayers[0].ToString());
        using var egnn = new Egnn(2, 0, 8, 2, velocity: false);
        egnn.to(ScalarType.Float64);
        // The whole EGNN, then its declared layers (the embedding is an undeclared internal and is skipped).
        var egnnLayers = ModelDiagnostics.Layers(egnn);
        Assert.Equal(3, egnnLayers.Count);
        Assert.All(egnnLayers, l => Assert.True(l.EquivarianceError < Tolerance.Float64 && l.Verdict == EquivarianceVerdict.Exact, l.ToString()));
    }

    [Fact]
    public void Layers_PointsChain_PassesActivations_AndTypeChecks()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var gate = new Gate(Irreps.Parse("4x0e"), Irreps.Parse("4x0e"), Irreps.Parse("2x1o+2x2e"));
        using var net = nn.Sequential(
            ("lin1", new IrrepsLinear(Irreps.Parse("2x0e+1x1o"), gate.In)),
            ("gate", gate),
            ("lin2", new IrrepsLinear(gate.Out, Irreps.Parse("1x0e+1x1o"))));
        net.to(ScalarType.Float64);
        var x = randn(new long[] { 4, 5 }, dtype: ScalarType.Float64, generator: new Generator(4));
        var layers = ModelDiagnostics.Layers(net, x);
        Assert.Equal(3, layers.Count);
        Assert.All(layers, l => Assert.True(l.EquivarianceError < Tolerance.Float64, l.ToString()));
        Assert.True(SymmetryTypeCheck.Check(net).Passed, SymmetryTypeCheck.Check(net).ToString());
        Assert.True(EquivarianceCheck.Of(net, dtype: ScalarType.Float64).MaxRelativeError < Tolerance.Float64);
    }
}
