using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Graphs;

/// <summary>Node-permutation equivariance of a function of a <see cref="GraphBatch"/>: permute the nodes of the whole
/// batch (which also interleaves the graphs), relabel the edges, and compare with the permuted output.</summary>
/// <remarks>A front-end of the one checker (<see cref="EquivarianceCheck"/>): the batch's node features and membership
/// are <see cref="PermutationType"/>s of the node axis, its edge index an <see cref="EdgeIndexType"/> (edges relabelled,
/// not reordered, so edge features stay), the permutations <see cref="PermutationSymmetry"/>'s draws. For node-level
/// outputs the whole (nodes, ...) output is one entry; for graph-level outputs each graph is one entry.</remarks>
public static class GraphPermutationCheck
{
    /// <summary>Node-level equivariance: f(π·G) = π·f(G) for f returning (nodes, ...).</summary>
    public static EquivarianceReport Equivariance(Func<GraphBatch, Tensor> f, GraphBatch graphs, int permutations = 8, int seed = 0) =>
        Run(f, graphs, nodeLevel: true, permutations, seed);

    /// <summary>Graph-level invariance: f(π·G) = f(G) for f returning (graphs, ...).</summary>
    public static EquivarianceReport Invariance(Func<GraphBatch, Tensor> f, GraphBatch graphs, int permutations = 8, int seed = 0) =>
        Run(f, graphs, nodeLevel: false, permutations, seed);

    private static EquivarianceReport Run(Func<GraphBatch, Tensor> f, GraphBatch graphs, bool nodeLevel, int permutations, int seed)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(graphs);
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "Expected ≥ 1.");
        GraphBatch Rebuild(IReadOnlyList<Tensor> xs) => new(xs[0], xs[1], xs[2], graphs.GraphCount, graphs.EdgeFeatures);
        ITensorType output;
        if (nodeLevel)
        {
            long[] shape;
            using (no_grad())
            using (var probe = f(graphs)) shape = probe.shape;
            if (shape.Length == 0 || shape[0] != graphs.NodeCount)
                throw new ArgumentException($"A node-level output has one row per node ({graphs.NodeCount}); got [{string.Join(", ", shape)}].", nameof(f));
            output = NodeAxis(shape);
        }
        else output = new InvariantType(PermutationSymmetry.Instance);
        var inputs = new[] { graphs.Nodes, graphs.EdgeIndex, graphs.Membership };
        var types = new ITensorType[] { NodeAxis(graphs.Nodes.shape), new EdgeIndexType(graphs.NodeCount), NodeAxis(graphs.Membership.shape) };
        return EquivarianceCheck.Run(xs => new[] { f(Rebuild(xs)) }, types, new[] { output }, inputs, PermutationSymmetry.Instance.Draw(permutations, seed));
    }

    /// <summary>A tensor whose axis 0 is the batch's nodes (no batch axis).</summary>
    private static PermutationType NodeAxis(long[] shape) =>
        new(shape.Select((length, i) => i == 0 ? -1 : length).ToArray(), new[] { 0 }, batched: false);
}
