using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Graphs;

/// <summary>Dense per-graph adjacency matrices of a <see cref="GraphBatch"/>: (graphs, size, size), node k of a graph
/// being its k-th node in the batch's current order, zero-padded to <c>size</c>.</summary>
public static class DenseAdjacency
{
    /// <summary>The adjacency A[g, i, j] = 1 for each edge j → i of graph g, and the node mask (graphs, size).</summary>
    /// <param name="graphs">the batch; every graph must have at most <paramref name="size"/> nodes.</param>
    /// <param name="size">the padded size.</param>
    public static (Tensor Adjacency, Tensor Mask) Build(GraphBatch graphs, long size)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        using var scope = NewDisposeScope();
        var device = graphs.Nodes.device;
        var (sorted, order) = graphs.Membership.sort(0, false, true);
        var counts = bincount(graphs.Membership, null, graphs.GraphCount);
        if (counts.numel() > 0 && counts.max().ToInt64Checked() > size)
            throw new ArgumentException($"A graph has {counts.max().ToInt64Checked()} nodes; at most {size} fit.", nameof(graphs));
        var starts = counts.cumsum(0L) - counts;
        var local = empty(graphs.NodeCount, ScalarType.Int64, device);
        local.index_put_(arange(graphs.NodeCount, ScalarType.Int64, device) - starts.index_select(0, sorted), order);
        var adjacency = zeros(new[] { graphs.GraphCount, size, size }, graphs.Nodes.dtype, device);
        var source = graphs.EdgeIndex[0];
        var target = graphs.EdgeIndex[1];
        adjacency.index_put_(ones(graphs.EdgeCount, graphs.Nodes.dtype, device), graphs.Membership.index_select(0, target),
            local.index_select(0, target), local.index_select(0, source));
        var mask = zeros(new[] { graphs.GraphCount, size }, ScalarType.Bool, device);
        mask.index_put_(ones(graphs.NodeCount, ScalarType.Bool, device), graphs.Membership, local);
        return (adjacency.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }
}
