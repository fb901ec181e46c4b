using Noether.Nn.Common;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>How messages arriving at a node are combined.</summary>
public enum Aggregation
{
    /// <summary>Σ over incoming edges.</summary>
    Sum,
    /// <summary>Mean over incoming edges (0 for none).</summary>
    Mean,
    /// <summary>Max per feature over incoming edges (0 for none).</summary>
    Max,
}

/// <summary>The edges of one propagation, as a message function sees them.</summary>
/// <param name="Source">(edges,) int64 source nodes j.</param>
/// <param name="Target">(edges,) int64 target nodes i.</param>
/// <param name="NodeCount">the number of nodes.</param>
/// <param name="EdgeFeatures">(edges, ...) per-edge values passed to <c>Propagate</c>, or null.</param>
public sealed record EdgeContext(Tensor Source, Tensor Target, long NodeCount, Tensor? EdgeFeatures);

/// <summary>The message-passing scheme x_i' = update(x_i, aggregate_{j → i} message(x_i, x_j, e_ji)), written out
/// with gathers (<c>index_select</c>) and scatters (<see cref="Scatter"/>); a layer states its message, aggregation
/// and update.</summary>
/// <remarks>
/// Equivariance: renumbering the nodes (and relabelling the edge index accordingly) renumbers the output rows,
/// because messages depend only on the features at an edge's ends and aggregation is symmetric.
/// Shapes: forward(nodes (nodes, features), edgeIndex (2, edges)) → (nodes, outFeatures).
/// Reference: Gilmer et al. 2017 (MPNN); PyTorch Geometric's <c>MessagePassing</c>, without its argument-name routing.
/// </remarks>
public abstract class MessagePassing : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Names the layer and fixes its aggregation.</summary>
    protected MessagePassing(string name, Aggregation aggregation) : base(name) => Aggregation = aggregation;

    /// <summary>How incoming messages are combined.</summary>
    public Aggregation Aggregation { get; }

    /// <summary>Gathers each edge's end features, computes messages, aggregates them at the targets and updates.</summary>
    /// <param name="nodes">(nodes, features) features the messages read.</param>
    /// <param name="edgeIndex">(2, edges) int64.</param>
    /// <param name="edgeFeatures">(edges, ...) or null.</param>
    /// <param name="self">the node state the update combines with (defaults to <paramref name="nodes"/>).</param>
    protected Tensor Propagate(Tensor nodes, Tensor edgeIndex, Tensor? edgeFeatures = null, Tensor? self = null)
    {
        GraphBatch.CheckEdgeIndex(edgeIndex, nodes.shape[0]);
        using var scope = NewDisposeScope();
        var edges = new EdgeContext(edgeIndex[0], edgeIndex[1], nodes.shape[0], edgeFeatures);
        var messages = Message(nodes.index_select(0, edges.Target), nodes.index_select(0, edges.Source), edges);
        var aggregated = Aggregate(messages, edges.Target, edges.NodeCount);
        return Update(aggregated, self ?? nodes).MoveToOuterDisposeScope();
    }

    /// <summary>The message along each edge j → i.</summary>
    /// <param name="target">x_i, (edges, ...).</param>
    /// <param name="source">x_j, (edges, ...).</param>
    /// <param name="edges">the edge index and features.</param>
    protected abstract Tensor Message(Tensor target, Tensor source, EdgeContext edges);

    /// <summary>Combines the messages arriving at each node with <see cref="Aggregation"/>.</summary>
    protected virtual Tensor Aggregate(Tensor messages, Tensor target, long nodeCount) => Aggregation switch
    {
        Aggregation.Sum => Scatter.Sum(messages, target, nodeCount),
        Aggregation.Mean => Scatter.Mean(messages, target, nodeCount),
        _ => Scatter.Max(messages, target, nodeCount),
    };

    /// <summary>The new node state from the aggregate and the old state; by default the aggregate.</summary>
    protected virtual Tensor Update(Tensor aggregated, Tensor self) => aggregated.alias();

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="nodes"/> is (nodes, <paramref name="features"/>).</summary>
    protected static void CheckNodes(Tensor nodes, long features)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.dim() != 2 || nodes.shape[1] != features)
            throw new ArgumentException($"Expected node features (nodes, {features}); got [{string.Join(", ", nodes.shape)}].", nameof(nodes));
    }
}
