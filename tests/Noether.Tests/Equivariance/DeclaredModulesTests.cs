using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Common;
using Noether.Nn.Generic;
using Noether.Nn.Graphs;
using Noether.Nn.Points;
using Noether.Nn.Sets;
using Noether.Representations;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Equivariance;

/// <summary>What the one case per class of <c>Of_EveryDeclaredModule_IsEquivariant</c> does not show: the point GNN
/// declares permutations only, every kind of graph network is invariant, ensembles and block-scaled wrappers declare
/// their parts' types (and nothing when the parts declare nothing), and Monte Carlo averaging is reported approximate.</summary>
[Collection("NoParallel")] // sets the global seed
public class DeclaredModulesTests
{
    [Fact]
    public void PointGnn_DeclaresPermutationsOnly_AndIsExactForThem()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(4);
        using var gnn = new PointGnn(nodeFeatures: 4, edgeAttributes: 2, hidden: 8, layers: 2, outputs: 3);
        gnn.to(ScalarType.Float64);
        var types = DeclaredTypes.Of(gnn)!.Value;
        Assert.All(types.Inputs.Concat(types.Outputs), t => Assert.IsType<PermutationType>(t));
        var report = EquivarianceCheck.Of(gnn, batch: 2, size: 5, samples: 8, seed: 2);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Theory]
    [InlineData(GraphLayerKind.Gin)]
    [InlineData(GraphLayerKind.Gcn)]
    [InlineData(GraphLayerKind.Sage)]
    [InlineData(GraphLayerKind.Gat)]
    public void GraphNetwork_IsInvariantToNodeRelabellings(GraphLayerKind kind)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        using var network = new GraphNetwork(kind, inputs: 3, hidden: 8, depth: 2, outputs: 2);
        network.to(ScalarType.Float64);
        var report = EquivarianceCheck.Of(network, size: 9, samples: 8, seed: 3);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
        using var readout = new AttentionReadout(3, 4);
        readout.to(ScalarType.Float64);
        Assert.True(EquivarianceCheck.Of(readout, size: 9, samples: 8, seed: 3).MaxRelativeError < Tolerance.Float64);
    }

    [Fact]
    public void EnsembleAndBlockScaling_DeclareTheirMembersTypes_AndStayEquivariant()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var group = MatrixGroup.O(3);
        var (rin, rout) = (TensorRepresentation.Parse("2V", group), TensorRepresentation.Parse("V", group));
        var members = Enumerable.Range(0, 3).Select(_ => (nn.Module<Tensor, Tensor>)new Emlp(rin, rout)).ToArray();
        using var ensemble = new EnsembleMean(members);
        ensemble.to(ScalarType.Float64);
        Assert.NotNull(DeclaredTypes.Of(ensemble));
        Assert.True(EquivarianceCheck.Of(ensemble, samples: 8, seed: 5).MaxRelativeError < Tolerance.Float64);

        using var scaled = new BlockScaledInput(rin, new Emlp(rin, rout));
        scaled.to(ScalarType.Float64);
        using (no_grad()) scaled.Fit(randn(new long[] { 64, 6 }, dtype: ScalarType.Float64) * tensor(new double[] { 1, 1, 1, 5, 5, 5 }));
        Assert.True(EquivarianceCheck.Of(scaled, samples: 8, seed: 5).MaxRelativeError < Tolerance.Float64);

        // Members that declare nothing (plain MLPs) leave the ensemble undeclared, rather than declared wrongly.
        using var plain = new EnsembleMean(new nn.Module<Tensor, Tensor>[] { new Mlp(6, new[] { 8 }, 3), new Mlp(6, new[] { 8 }, 3) });
        Assert.Null(DeclaredTypes.Of(plain));
    }

    [Fact]
    public void AveragingWrappers_DeclareTheirActions_ExactOverAFiniteGroup_ApproximateOverSamples()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(8);
        var c4 = Group.Cyclic(4);
        using var averaged = new GroupAveraging(new Mlp(4, new[] { 16 }, 2), c4.Regular);
        averaged.to(ScalarType.Float64);
        Assert.True(EquivarianceCheck.Of(averaged, samples: 8, seed: 6).MaxRelativeError < Tolerance.Float64);

        // Eight Haar samples of O(3) per call: invariance only in expectation, and the check says so.
        using var sampled = new ActionAveraging(new Mlp(3, new[] { 16 }, 1), new IrrepsAction(1, Irreps.Empty), samples: 8, seed: 1);
        sampled.to(ScalarType.Float64);
        var report = EquivarianceCheck.Of(sampled, samples: 8, seed: 6);
        Assert.False(report.IsExact);
        Assert.True(report.MeanRelativeError < 1, report.ToString());
    }

    [Fact]
    public void SetAndTransformAveraging_DeclareTheirModelsTypes_WhenTheModelDeclaresThem()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(9);
        using var averaged = new SetAveraging(new DeepSets(3, new[] { 8 }, new[] { 8 }, 2), samples: 4, seed: 1);
        averaged.to(ScalarType.Float64);
        Assert.NotNull(DeclaredTypes.Of(averaged));
        Assert.True(EquivarianceCheck.Of(averaged, batch: 2, size: 5, samples: 6, seed: 2).MaxRelativeError < Tolerance.Float64);
        using var padded = new SetAveraging(new PaddedSetMlp(3, 6, new[] { 8 }, 2), samples: 4, seed: 1);
        Assert.Null(DeclaredTypes.Of(padded));

        using var gauge = new TransformAveraging(new Noether.Nn.Gauge.Lcnn(GaugeGroup.U1, 2, new[] { 2 }, new[] { 1 }, outputs: 1, seed: 1),
            Augmentations.RandomGaugeTransformation, samples: 2, seed: 3);
        gauge.to(ScalarType.Float64);
        Assert.True(EquivarianceCheck.Of(gauge, batch: 2, size: 4, samples: 3, seed: 4).MaxRelativeError < Tolerance.Float64);
    }
}
