using Noether.Equivariance;
using Noether.Nn.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>A graph-level regressor or classifier: Linear embedding → L message-passing layers with ReLU → sum readout
/// of every layer's output (the GIN paper's jumping-knowledge readout) → MLP head.</summary>
/// <remarks>Invariance: node permutations (exact up to float round-off).
/// Shapes: a <see cref="GraphBatch"/> with (nodes, inputs) features → (graphs, outputs).</remarks>
/// <example><code>var model = new GraphNetwork(GraphLayerKind.Gin, 2, 64, 3, 1);  var y = model.forward(batch);</code></example>
public sealed class GraphNetwork : Module<GraphBatch, Tensor>, IEquivariant
{
    private readonly Linear embed;
    private readonly ModuleList<MessagePassing> layers;
    private readonly ElementwiseMlp head;

    /// <summary>Creates the network.</summary>
    /// <param name="kind">the layer type.</param>
    /// <param name="inputs">node features.</param>
    /// <param name="hidden">width (a multiple of 4 for GAT's heads).</param>
    /// <param name="depth">message-passing layers (≥ 1).</param>
    /// <param name="outputs">outputs per graph.</param>
    public GraphNetwork(GraphLayerKind kind, int inputs, int hidden, int depth, int outputs) : base(nameof(GraphNetwork))
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "Expected ≥ 1 layer.");
        if (kind == GraphLayerKind.Gat && hidden % 4 != 0)
            throw new ArgumentException($"GAT uses 4 heads: the width must be a multiple of 4; got {hidden}.", nameof(hidden));
        Kind = kind;
        embed = Linear(inputs, hidden);
        layers = new ModuleList<MessagePassing>(Enumerable.Range(0, depth).Select(_ => kind switch
        {
            GraphLayerKind.Gcn => (MessagePassing)new GcnConv(hidden, hidden),
            GraphLayerKind.Gin => new GinConv(hidden, hidden),
            GraphLayerKind.Sage => new SageConv(hidden, hidden),
            _ => new GatConv(hidden, hidden / 4, heads: 4),
        }).ToArray());
        head = new ElementwiseMlp(hidden * (depth + 1), new[] { hidden }, outputs);
        RegisterComponents();
    }

    /// <summary>The layer type.</summary>
    public GraphLayerKind Kind { get; }

    /// <summary>The declared types, for one graph: node features (nodes, inputs) and edge indices (2, edges) permuted
    /// with the nodes; the graph's outputs (1, outputs) invariant.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.NodeFeatures((int)embed.in_features), new EdgeIndexType() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new InvariantType(PermutationSymmetry.Instance, 1, Outputs) };

    /// <summary>Runs <see cref="forward"/> on one graph of the given node features and edge indices.</summary>
    IReadOnlyList<Tensor> IEquivariant.Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 2) throw new ArgumentException($"Expected 2 tensors (node features, edge indices); got {inputs.Count}.", nameof(inputs));
        using var membership = zeros(inputs[0].shape[0], ScalarType.Int64, inputs[0].device);
        return new[] { forward(new GraphBatch(inputs[0], inputs[1], membership, 1)) };
    }

    /// <summary>Outputs per graph.</summary>
    public int Outputs => (int)head.Outputs;

    /// <inheritdoc />
    public override Tensor forward(GraphBatch graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        using var scope = NewDisposeScope();
        var h = embed.forward(graphs.Nodes);
        var readouts = new List<Tensor> { GlobalPool.Sum(h, graphs.Membership, graphs.GraphCount) };
        foreach (var layer in layers)
        {
            h = functional.relu(layer.forward(h, graphs.EdgeIndex));
            readouts.Add(GlobalPool.Sum(h, graphs.Membership, graphs.GraphCount));
        }
        return head.forward(cat(readouts, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The node states after each layer (embedding first), for per-layer equivariance checks.</summary>
    public IReadOnlyList<Tensor> NodeStates(GraphBatch graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        var states = new List<Tensor> { embed.forward(graphs.Nodes) };
        foreach (var layer in layers) states.Add(functional.relu(layer.forward(states[^1], graphs.EdgeIndex)));
        return states;
    }
}
