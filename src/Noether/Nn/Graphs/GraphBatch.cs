using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Graphs;

/// <summary>Many graphs of different sizes as one disjoint graph: node features (nodes, features), edge index
/// (2, edges), optional edge features (edges, edgeFeatures), and the graph each node belongs to (nodes,).</summary>
/// <remarks>
/// The layout of PyTorch Geometric's <c>Batch</c>: <see cref="FromGraphs"/> offsets each graph's edge indices by the
/// nodes before it. Nodes of one graph need not be contiguous (<see cref="Permute"/> interleaves them), and every
/// layer and readout relies only on the edge index and the membership vector. The constructor checks that edge
/// indices lie in [0, nodes) and that the membership vector has one entry in [0, graphs) per node.
/// The tensors are not owned: they live in the dispose scope they were made in.
/// </remarks>
/// <example><code>var batch = GraphBatch.FromGraphs(new[] { triangle, path });  var h = gin.forward(batch.Nodes, batch.EdgeIndex);</code></example>
public sealed class GraphBatch
{
    /// <summary>Wraps batched tensors after checking that they agree.</summary>
    /// <param name="nodes">(nodes, features).</param>
    /// <param name="edgeIndex">(2, edges) int64 in [0, nodes).</param>
    /// <param name="membership">(nodes,) int64 in [0, graphCount): the graph of each node.</param>
    /// <param name="graphCount">the number of graphs (≥ 1).</param>
    /// <param name="edgeFeatures">(edges, edgeFeatures) or null.</param>
    public GraphBatch(Tensor nodes, Tensor edgeIndex, Tensor membership, long graphCount, Tensor? edgeFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edgeIndex);
        ArgumentNullException.ThrowIfNull(membership);
        if (nodes.dim() != 2)
            throw new ArgumentException($"Node features must be (nodes, features); got [{string.Join(", ", nodes.shape)}].", nameof(nodes));
        CheckEdgeIndex(edgeIndex, nodes.shape[0]);
        if (membership.dtype != ScalarType.Int64 || membership.dim() != 1 || membership.shape[0] != nodes.shape[0])
            throw new ArgumentException(
                $"The membership vector must be int64 with one entry per node ({nodes.shape[0]}); got {membership.dtype} [{string.Join(", ", membership.shape)}].",
                nameof(membership));
        if (graphCount < 1) throw new ArgumentOutOfRangeException(nameof(graphCount), graphCount, "Expected at least one graph.");
        if (membership.numel() > 0 && (membership.min().ToInt64Checked() < 0 || membership.max().ToInt64Checked() >= graphCount))
            throw new ArgumentException(
                $"Membership values must lie in [0, {graphCount}); got [{membership.min().ToInt64Checked()}, {membership.max().ToInt64Checked()}].", nameof(membership));
        if (edgeFeatures is not null && (edgeFeatures.dim() != 2 || edgeFeatures.shape[0] != edgeIndex.shape[1]))
            throw new ArgumentException(
                $"Edge features must be (edges = {edgeIndex.shape[1]}, features); got [{string.Join(", ", edgeFeatures.shape)}].", nameof(edgeFeatures));
        Nodes = nodes;
        EdgeIndex = edgeIndex;
        Membership = membership;
        GraphCount = graphCount;
        EdgeFeatures = edgeFeatures;
    }

    /// <summary>(nodes, features).</summary>
    public Tensor Nodes { get; }

    /// <summary>(2, edges) int64: row 0 sources, row 1 targets.</summary>
    public Tensor EdgeIndex { get; }

    /// <summary>(nodes,) int64: the graph of each node.</summary>
    public Tensor Membership { get; }

    /// <summary>(edges, edgeFeatures) or null.</summary>
    public Tensor? EdgeFeatures { get; }

    /// <summary>The number of graphs.</summary>
    public long GraphCount { get; }

    /// <summary>The number of nodes of all graphs.</summary>
    public long NodeCount => Nodes.shape[0];

    /// <summary>The number of directed edges of all graphs.</summary>
    public long EdgeCount => EdgeIndex.shape[1];

    /// <summary>Joins <paramref name="graphs"/> into one batch; graph k's nodes follow graph k−1's.</summary>
    public static GraphBatch FromGraphs(IReadOnlyList<Graph> graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        if (graphs.Count == 0) throw new ArgumentException("Expected at least one graph.", nameof(graphs));
        bool withEdgeFeatures = graphs[0].EdgeFeatures is not null;
        var edges = new List<Tensor>(graphs.Count);
        var membership = new List<Tensor>(graphs.Count);
        long offset = 0;
        for (int k = 0; k < graphs.Count; k++)
        {
            var g = graphs[k];
            if (g.Nodes.dim() != 2 || g.Nodes.shape[1] != graphs[0].Nodes.shape[1])
                throw new ArgumentException($"Graph {k} has node features [{string.Join(", ", g.Nodes.shape)}]; expected (nodes, {graphs[0].Nodes.shape[1]}).", nameof(graphs));
            if ((g.EdgeFeatures is not null) != withEdgeFeatures)
                throw new ArgumentException($"Graph {k} {(withEdgeFeatures ? "lacks" : "has")} edge features, unlike graph 0.", nameof(graphs));
            try { CheckEdgeIndex(g.EdgeIndex, g.Nodes.shape[0]); }
            catch (ArgumentException e) { throw new ArgumentException($"Graph {k}: {e.Message}", nameof(graphs), e); }
            edges.Add(g.EdgeIndex + offset);
            membership.Add(full(g.Nodes.shape[0], k, ScalarType.Int64, g.Nodes.device));
            offset += g.Nodes.shape[0];
        }
        return new GraphBatch(cat(graphs.Select(g => g.Nodes).ToArray(), 0), cat(edges, 1), cat(membership, 0), graphs.Count,
            withEdgeFeatures ? cat(graphs.Select(g => g.EdgeFeatures!).ToArray(), 0) : null);
    }

    /// <summary>The same graphs with nodes renumbered: new node i is old node <paramref name="permutation"/>[i];
    /// edges are relabelled (and kept in their order), features and membership move with their nodes.</summary>
    /// <param name="permutation">a permutation of 0..nodes−1.</param>
    public GraphBatch Permute(IReadOnlyList<long> permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        if (permutation.Count != NodeCount || permutation.Distinct().Count() != NodeCount || permutation.Any(p => p < 0 || p >= NodeCount))
            throw new ArgumentException($"Expected a permutation of 0..{NodeCount - 1}.", nameof(permutation));
        var pi = tensor(permutation.ToArray(), ScalarType.Int64, Nodes.device);
        var position = empty(NodeCount, ScalarType.Int64, Nodes.device);
        position.index_put_(arange(NodeCount, ScalarType.Int64, Nodes.device), pi);     // position[π(i)] = i
        var edges = position.index_select(0, EdgeIndex.reshape(-1)).reshape(2, -1);
        return new GraphBatch(Nodes.index_select(0, pi), edges, Membership.index_select(0, pi), GraphCount, EdgeFeatures);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="edgeIndex"/> is (2, edges) int64 in [0, nodes).</summary>
    public static void CheckEdgeIndex(Tensor edgeIndex, long nodes)
    {
        ArgumentNullException.ThrowIfNull(edgeIndex);
        if (edgeIndex.dtype != ScalarType.Int64 || edgeIndex.dim() != 2 || edgeIndex.shape[0] != 2)
            throw new ArgumentException($"The edge index must be int64 of shape (2, edges); got {edgeIndex.dtype} [{string.Join(", ", edgeIndex.shape)}].", nameof(edgeIndex));
        if (edgeIndex.numel() > 0)
        {
            long min = edgeIndex.min().ToInt64Checked(), max = edgeIndex.max().ToInt64Checked();
            if (min < 0 || max >= nodes)
                throw new ArgumentException($"Edge indices must lie in [0, {nodes}) (the node count); got values in [{min}, {max}].", nameof(edgeIndex));
        }
    }
}
