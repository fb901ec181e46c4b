using Noether.Equivariance;
using Noether.Nn.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Graphs;

public sealed class IgnTests
{
    /// <summary>The matrices of the basis maps on ℝ^{n×n} (or ℝ^n), obtained by applying them to every unit tensor;
    /// their rank is the number of linearly independent maps.</summary>
    private static long Rank(Func<Tensor, Tensor> basis, long[] unitShape)
    {
        long size = unitShape.Aggregate(1L, (a, b) => a * b);
        var units = eye(size, dtype: ScalarType.Float64).reshape(new[] { size }.Concat(unitShape).Append(1).ToArray());
        var images = basis(units);                                 // (size, k, ..., 1)
        var maps = images.movedim(new long[] { 1 }, new long[] { 0 }).reshape(images.shape[1], -1);
        return linalg.matrix_rank(maps).ToInt64();
    }

    [Fact]
    public void TheBasisMaps_AreLinearlyIndependent_15EdgeToEdge_5NodeToEdge_5EdgeToNode()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(15, Rank(IgnBasis.EdgeToEdge, new long[] { 5, 5 }));
        Assert.Equal(5, Rank(IgnBasis.NodeToEdge, new long[] { 5 }));
        Assert.Equal(5, Rank(IgnBasis.EdgeToNode, new long[] { 5, 5 }));
    }

    [Fact]
    public void EachBasisMap_IsPermutationEquivariant_InFloat64()
    {
        using var scope = NewDisposeScope();
        var edges = randn(new long[] { 3, 6, 6, 2 }, ScalarType.Float64, generator: new Generator(1));
        var nodes = randn(new long[] { 3, 6, 2 }, ScalarType.Float64, generator: new Generator(2));
        for (int k = 0; k < IgnBasis.EdgeToEdgeCount; k++)
        {
            int map = k;
            var report = PermutationCheck.Run(a => IgnBasis.EdgeToEdge(a).select(1, map), edges, new[] { 1, 2 }, new[] { 1, 2 }, 6, seed: k);
            Assert.True(report.MaxRelativeError <= Tolerance.Float64, $"edge→edge map {k + 1}: {report}");
        }
        for (int k = 0; k < IgnBasis.NodeToEdgeCount; k++)
        {
            int map = k;
            var toEdge = PermutationCheck.Run(x => IgnBasis.NodeToEdge(x).select(1, map), nodes, new[] { 1 }, new[] { 1, 2 }, 6, seed: k);
            Assert.True(toEdge.MaxRelativeError <= Tolerance.Float64, $"node→edge map {k + 1}: {toEdge}");
            var toNode = PermutationCheck.Run(a => IgnBasis.EdgeToNode(a).select(1, map), edges, new[] { 1, 2 }, new[] { 1 }, 6, seed: k);
            Assert.True(toNode.MaxRelativeError <= Tolerance.Float64, $"edge→node map {k + 1}: {toNode}");
        }
    }

    [Fact]
    public void IgnLinearLayers_AreEquivariant_InFloat32()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var e2e = new IgnLinear(IgnOrders.EdgeToEdge, 2, 4);
        using var n2e = new IgnLinear(IgnOrders.NodeToEdge, 2, 4);
        using var e2n = new IgnLinear(IgnOrders.EdgeToNode, 2, 4);
        var edges = randn(4, 7, 7, 2);
        var nodes = randn(4, 7, 2);
        foreach (var (label, report) in new[]
                 {
                     ("edge→edge", PermutationCheck.Run(e2e.forward, edges, new[] { 1, 2 }, new[] { 1, 2 }, 6, 1)),
                     ("node→edge", PermutationCheck.Run(n2e.forward, nodes, new[] { 1 }, new[] { 1, 2 }, 6, 2)),
                     ("edge→node", PermutationCheck.Run(e2n.forward, edges, new[] { 1, 2 }, new[] { 1 }, 6, 3)),
                 })
            Assert.True(report.MaxRelativeError <= 1e-5, $"{label}: {report}");
        // A map that is not equivariant fails the same check (the check can fail).
        var broken = PermutationCheck.Run(a => a.narrow(1, 0, 1).expand(a.shape), edges, new[] { 1, 2 }, new[] { 1, 2 }, 6, 4);
        Assert.True(broken.MaxRelativeError > 0.1, broken.ToString());
    }
}
