using Noether.Nn.Common;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>Order-dependent baseline: an MLP on each graph's flattened padded adjacency matrix and node mask
/// (<see cref="DenseAdjacency"/>). Not permutation invariant; node features are ignored.</summary>
/// <remarks>Shapes: a <see cref="GraphBatch"/> of graphs with at most <c>maxNodes</c> nodes → (graphs, outputs).</remarks>
/// <example><code>var mlp = new GraphMlp(40, new[] { 256, 256 }, 1);</code></example>
public sealed class GraphMlp : Module<GraphBatch, Tensor>
{
    private readonly ElementwiseMlp mlp;

    /// <summary>Creates the model.</summary>
    public GraphMlp(int maxNodes, IReadOnlyList<int> hidden, int outputs) : base(nameof(GraphMlp))
    {
        if (maxNodes < 1) throw new ArgumentOutOfRangeException(nameof(maxNodes), maxNodes, "Expected ≥ 1.");
        MaxNodes = maxNodes;
        mlp = new ElementwiseMlp(maxNodes * maxNodes + maxNodes, hidden, outputs);
        RegisterComponents();
    }

    /// <summary>The largest graph it reads.</summary>
    public int MaxNodes { get; }

    /// <inheritdoc />
    public override Tensor forward(GraphBatch graphs)
    {
        using var scope = NewDisposeScope();
        var (adjacency, mask) = DenseAdjacency.Build(graphs, MaxNodes);
        var input = cat(new[] { adjacency.reshape(graphs.GraphCount, -1), mask.to_type(adjacency.dtype) }, 1);
        return mlp.forward(input).MoveToOuterDisposeScope();
    }
}
