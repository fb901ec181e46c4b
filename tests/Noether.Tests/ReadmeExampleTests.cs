using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Gauge;
using Noether.Nn.Generic;
using Noether.Nn.Graphs;
using Noether.Nn.Images;
using Noether.Nn.Points;
using Noether.Nn.Sets;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests;

/// <summary>The README's C# examples, line for line, with their printed values asserted.</summary>
[Collection("NoParallel")] // the library examples seed the global torch generator
public class ReadmeExampleTests
{
    [Fact]
    public void RepresentationExample_PrintsWhatTheReadmeSays()
    {
        var d4 = (FiniteGroup)Group.Parse("D4");
        Assert.Equal("A1 ⊕ A2 ⊕ B1 ⊕ B2 ⊕ 2×E1", d4.Regular.Decomposition.ToString());
        var o3 = Group.O3;
        var product = o3.Irrep("1o") * o3.Irrep("1o");
        Assert.Equal("0e ⊕ 1e ⊕ 2e", product.Decomposition.ToString());
        var g = o3.Sample(new Random(1));
        var q = product.ChangeOfBasis;
        var blocks = Representation.FromIrreps(product.Irreps);
        Assert.True((product.Matrix(g) - q * blocks.Matrix(g) * q.Transpose()).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void EquivarianceExample_ReportsATinyError()
    {
        using var scope = NewDisposeScope();
        var action = new RepresentationAction(Group.SO2.Irrep(1));
        var report = EquivarianceCheck.Invariance(x => x.pow(2).sum(1, keepdim: true), action,
            randn(16, 2, dtype: float64), samples: 8, seed: 0);
        Assert.True(report.MaxRelativeError < 1e-12, report.ToString());
    }

    // "Use as a library": each test below is one README example, line for line, with its comments asserted.

    [Fact]
    public void LibraryImagesExample_IsInvariantUnderD4()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var space = GSpace2D.FlipsRotations(4);
        var hidden = space.Regular(8);
        var features = new EquivariantSequential(
            new R2Conv(space.Trivial(1), hidden, 5, seed: 0),
            new PointwiseNonlinearity(hidden),
            new R2Conv(hidden, hidden, 5, seed: 1),
            new PointwiseNonlinearity(hidden),
            new GlobalInvariantPool(hidden));
        var model = nn.Sequential(features, nn.Linear(8, 10));
        var images = randn(4, 1, 28, 28);
        var logits = model.forward(images);
        var report = EquivarianceCheck.Run(model.forward, new FieldAction(features.In), new TrivialAction(space.Group),
            images, space.Group.Elements);
        Assert.Equal(new long[] { 4, 10 }, logits.shape);
        Assert.Equal(8, report.PerElement.Count);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void LibrarySetsExample_IsPermutationInvariant()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var deepSets = new DeepSets(inputs: 3, phi: new[] { 32, 32 }, rho: new[] { 32 }, outputs: 1);
        var elements = randn(8, 10, 3);
        var mask = ones(8, 10, dtype: ScalarType.Bool);
        var y = deepSets.forward(elements, mask);
        var shuffled = elements.index_select(1, randperm(10));
        Assert.Equal(new long[] { 8, 1 }, y.shape);
        Assert.True((deepSets.forward(shuffled, mask) - y).abs().max().ToSingle() < 1e-5);
    }

    [Fact]
    public void LibraryGraphsExample_IsNodePermutationEquivariant()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var triangle = new Graph(randn(3, 4), tensor(new long[,] { { 0, 1, 1, 2, 2, 0 }, { 1, 0, 2, 1, 0, 2 } }));
        var edge = new Graph(randn(2, 4), tensor(new long[,] { { 0, 1 }, { 1, 0 } }));
        var batch = GraphBatch.FromGraphs(new[] { triangle, edge });
        var gin = new GinConv(4, 16);
        var h = gin.forward(batch.Nodes, batch.EdgeIndex);
        var perGraph = GlobalPool.Sum(h, batch.Membership, batch.GraphCount);
        var report = GraphPermutationCheck.Equivariance(g => gin.forward(g.Nodes, g.EdgeIndex), batch);
        Assert.Equal(new long[] { 5, 16 }, h.shape);
        Assert.Equal(new long[] { 2, 16 }, perGraph.shape);
        Assert.True(report.MaxRelativeError < 1e-5, report.ToString());
    }

    [Fact]
    public void LibraryPointsExample_IsO3Equivariant()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var features = Irreps.Parse("4x0e+2x1o");
        var directions = Irreps.Parse("0e+1o");
        var tp = new FullyConnectedTensorProduct(features, directions, Irreps.Parse("4x0e+4x1o+2x2e"));
        Tensor Both(Tensor x) => tp.forward(x.narrow(1, 0, features.Dim), x.narrow(1, features.Dim, directions.Dim));
        var inputs = randn(16, features.Dim + directions.Dim);
        var report = EquivarianceCheck.Run(Both, new IrrepsAction(features + directions), new IrrepsAction(tp.Out),
            inputs, samples: 8, seed: 0);
        Assert.Equal(26, tp.Out.Dim);
        Assert.Equal(new long[] { 16, 26 }, Both(inputs).shape);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void LibraryMatrixGroupExample_SolvesTheMetric_AndBuildsAnEquivariantEmlp()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var lorentz = MatrixGroup.Lorentz;
        var metric = EquivariantBasis.Solve(TensorRepresentation.Parse("V⊗V", lorentz), TensorRepresentation.Parse("1", lorentz));
        var o5 = MatrixGroup.O(5);
        var (rin, rout) = (TensorRepresentation.Parse("2V", o5), TensorRepresentation.Parse("1", o5));
        var emlp = new Emlp(rin, rout, layers: 2, width: 96);
        var report = EquivarianceCheck.Run(emlp.forward, new RepresentationAction(rin), new RepresentationAction(rout),
            randn(16, rin.Dim), samples: 8, seed: 0);
        Assert.Equal(1, metric.Dim);
        Assert.Equal("36S+7V+T(2,0)", Emlp.DefaultHidden(rin, rout, 96, 2).Name);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
        Assert.Throws<ArgumentException>(() => new Emlp(TensorRepresentation.Parse("4V+2", lorentz), TensorRepresentation.Parse("3", lorentz),
            TensorRepresentation.Parse("32+16V+4T(2)", lorentz), 3));
    }

    [Fact]
    public void LibraryGaugeExample_IsGaugeInvariantAndCovariant()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(0);
        var links = GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 8, 8 }, new Generator(1), ScalarType.ComplexFloat32);
        var lcnn = new Lcnn(GaugeGroup.SU2, dimensions: 2, channels: new[] { 4, 4 }, reaches: new[] { 1, 2 }, outputs: 1, seed: 0);
        var y = lcnn.forward(links);
        var invariance = GaugeCheck.Invariance(u => lcnn.forward(u), links, samples: 4, seed: 0);
        var conv = new LConv(dimensions: 2, inChannels: lcnn.InputChannels, outChannels: 3, reach: 1, seed: 0);
        var covariance = GaugeCheck.Covariance((u, w) => conv.forward(u, w), links, lcnn.InputFeatures(links), samples: 4, seed: 0);
        Assert.Equal(new long[] { 2, 1, 8, 8 }, y.shape);
        Assert.False(y.is_complex());
        Assert.True(invariance.MaxRelativeError < Tolerance.Float32, invariance.ToString());
        Assert.True(covariance.MaxRelativeError < Tolerance.Float32, covariance.ToString());
    }
}
