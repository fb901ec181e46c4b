using Noether.Equivariance;
using Noether.Nn.Graphs;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Graphs;

public sealed class GraphLayerTests
{
    /// <summary>Three random undirected graphs of 5, 9 and 12 nodes (edge probability 0.4, one isolated node in the
    /// first), 3 node features each, batched.</summary>
    internal static GraphBatch RandomBatch(int features = 3, ScalarType dtype = ScalarType.Float32, int seed = 1)
    {
        var random = new Random(seed);
        var generator = new Generator((ulong)seed);
        var graphs = new[] { 5, 9, 12 }.Select(n =>
        {
            var edges = new List<long>();
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (!(n == 5 && (i == 4 || j == 4)) && random.NextDouble() < 0.4) { edges.Add(i); edges.Add(j); edges.Add(j); edges.Add(i); }
            var index = tensor(edges.ToArray(), ScalarType.Int64).reshape(-1, 2).t().contiguous();
            return new Graph(randn(new long[] { n, features }, dtype, generator: generator), index);
        }).ToArray();
        return GraphBatch.FromGraphs(graphs);
    }

    public static TheoryData<string> Layers => new() { "gcn", "gin", "sage", "gat" };

    private static MessagePassing Layer(string name) => name switch
    {
        "gcn" => new GcnConv(3, 8),
        "gin" => new GinConv(3, 8),
        "sage" => new SageConv(3, 8),
        _ => new GatConv(3, 4, heads: 2),
    };

    [Theory, MemberData(nameof(Layers))]
    public void MessagePassingLayer_IsNodePermutationEquivariant_OnABatchOfGraphsOfDifferentSizes(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var layer = Layer(name);
        var report = GraphPermutationCheck.Equivariance(g => layer.forward(g.Nodes, g.EdgeIndex), RandomBatch(), permutations: 6, seed: 2);
        Assert.True(report.MaxRelativeError <= 1e-5, report.ToString());
    }

    [Theory, MemberData(nameof(Layers))]
    public void GraphNetwork_IsInvariant_AndGivesOneOutputPerGraph(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var kind = Enum.Parse<GraphLayerKind>(name, ignoreCase: true);
        using var model = new GraphNetwork(kind, 3, 8, 2, 2);
        var batch = RandomBatch();
        Assert.Equal(new long[] { 3, 2 }, model.forward(batch).shape);
        var report = GraphPermutationCheck.Invariance(model.forward, batch, permutations: 6, seed: 3);
        Assert.True(report.MaxRelativeError <= 1e-5, report.ToString());
    }

    [Fact]
    public void Readouts_AreInvariant_AndAGraphsNodesAloneDecideItsReadout()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var attention = new AttentionReadout(3, 4);
        var batch = RandomBatch();
        foreach (var (label, f) in new (string, Func<GraphBatch, Tensor>)[]
                 {
                     ("sum", g => GlobalPool.Sum(g.Nodes, g.Membership, g.GraphCount)),
                     ("mean", g => GlobalPool.Mean(g.Nodes, g.Membership, g.GraphCount)),
                     ("max", g => GlobalPool.Max(g.Nodes, g.Membership, g.GraphCount)),
                     ("attention", g => attention.forward(g.Nodes, g.Membership, g.GraphCount)),
                 })
        {
            var report = GraphPermutationCheck.Invariance(f, batch, permutations: 4, seed: 4);
            Assert.True(report.MaxRelativeError <= 1e-5, $"{label}: {report}");
        }
        // The first graph's nodes are rows 0..4: its mean readout is their mean.
        Assert.True(allclose(GlobalPool.Mean(batch.Nodes, batch.Membership, 3)[0], batch.Nodes.narrow(0, 0, 5).mean(new long[] { 0 }), 1e-6, 1e-6));
    }

    [Fact]
    public void GcnConv_MatchesTheDenseFormula_NormalisedAdjacencyWithSelfLoops()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var gcn = new GcnConv(3, 2);
        using (no_grad()) gcn.get_parameter("bias")!.uniform_(-1, 1);
        var batch = RandomBatch();
        long n = batch.NodeCount;
        var a = zeros(n, n);
        a.index_put_(ones(batch.EdgeCount), batch.EdgeIndex[1], batch.EdgeIndex[0]);
        var aHat = a + eye(n);
        var dInvSqrt = aHat.sum(1).rsqrt();
        var expected = (dInvSqrt.unsqueeze(1) * aHat * dInvSqrt.unsqueeze(0)).matmul(batch.Nodes.matmul(gcn.get_parameter("linear.weight")!.t()))
                       + gcn.get_parameter("bias")!;
        var actual = gcn.forward(batch.Nodes, batch.EdgeIndex);
        Assert.True(allclose(actual, expected, 1e-5, 1e-5), $"max difference {(actual - expected).abs().max().ToDouble()}");
    }

    [Fact]
    public void GraphBatch_OffsetsEdges_AndRejectsBadIndicesAndMembership()
    {
        using var scope = NewDisposeScope();
        var g0 = new Graph(zeros(2, 1), tensor(new long[] { 0, 1, 1, 0 }).reshape(2, 2));
        var g1 = new Graph(zeros(3, 1), tensor(new long[] { 0, 2 }).reshape(2, 1));
        var batch = GraphBatch.FromGraphs(new[] { g0, g1 });
        Assert.Equal(new long[] { 0, 1, 2, 1, 0, 4 }, batch.EdgeIndex.reshape(-1).data<long>().ToArray());
        Assert.Equal(new long[] { 0, 0, 1, 1, 1 }, batch.Membership.data<long>().ToArray());
        var outOfRange = Assert.Throws<ArgumentException>(() => GraphBatch.FromGraphs(new[] { new Graph(zeros(2, 1), tensor(new long[] { 0, 2 }).reshape(2, 1)) }));
        Assert.Contains("[0, 2)", outOfRange.Message);
        var shortMembership = Assert.Throws<ArgumentException>(() => new GraphBatch(zeros(5, 1), batch.EdgeIndex, zeros(4, dtype: ScalarType.Int64), 2));
        Assert.Contains("one entry per node (5)", shortMembership.Message);
        Assert.Throws<ArgumentException>(() => new GraphBatch(zeros(5, 1), batch.EdgeIndex, full(5, 2L, ScalarType.Int64), 2));
        using var gin = new GinConv(1, 2);
        Assert.Throws<ArgumentException>(() => gin.forward(zeros(3, 1), batch.EdgeIndex));
    }
}
