using Noether.Equivariance;
using Noether.Nn.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>Graph attention layer: x_i' = ‖_h Σ_{j ∈ N(i) ∪ {i}} α^h_ij W^h x_j + b, with
/// α^h_ij = softmax_j LeakyReLU(a^h_dst · W^h x_i + a^h_src · W^h x_j) over the incoming edges of i.</summary>
/// <remarks>Equivariance: node permutations (the softmax runs over each node's incoming edges, <see cref="Scatter.Softmax"/>).
/// Shapes: (nodes, inFeatures), (2, edges) → (nodes, heads · outFeatures) (heads concatenated).
/// Reference: Veličković et al. 2018, "Graph Attention Networks", eq. (3)–(5).</remarks>
/// <example><code>var gat = new GatConv(16, 8, heads: 4);   // 32 outputs</code></example>
public sealed class GatConv : MessagePassing, IEquivariant
{
    private readonly Linear linear;
    private readonly Parameter attentionSource;   // registered; read by name, since .to(dtype) replaces them
    private readonly Parameter attentionTarget;
    private readonly Parameter bias;

    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">input features per node.</param>
    /// <param name="outFeatures">features per head.</param>
    /// <param name="heads">attention heads (≥ 1).</param>
    public GatConv(int inFeatures, int outFeatures, int heads = 1) : base(nameof(GatConv), Aggregation.Sum)
    {
        if (heads < 1) throw new ArgumentOutOfRangeException(nameof(heads), heads, "Expected ≥ 1.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Heads = heads;
        linear = Linear(inFeatures, heads * outFeatures, hasBias: false);
        var a = empty(2, heads, outFeatures);
        init.xavier_uniform_(a);
        attentionSource = new Parameter(a[0].clone().DetachFromDisposeScope());
        attentionTarget = new Parameter(a[1].clone().DetachFromDisposeScope());
        bias = new Parameter(zeros(heads * outFeatures).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <summary>Input features per node.</summary>
    public int InFeatures { get; }

    /// <summary>Features per head.</summary>
    public int OutFeatures { get; }

    /// <summary>Attention heads (concatenated in the output).</summary>
    public int Heads { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.NodeFeatures(InFeatures), new EdgeIndexType() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { PermutationType.NodeFeatures(Heads * OutFeatures) };

    /// <inheritdoc />
    public override Tensor forward(Tensor nodes, Tensor edgeIndex)
    {
        CheckNodes(nodes, InFeatures);
        GraphBatch.CheckEdgeIndex(edgeIndex, nodes.shape[0]);
        using var scope = NewDisposeScope();
        long n = nodes.shape[0];
        var loops = arange(n, ScalarType.Int64, nodes.device).unsqueeze(0).expand(2, n);
        var h = linear.forward(nodes).view(n, Heads, OutFeatures);
        var output = Propagate(h, cat(new[] { edgeIndex, loops }, 1)).reshape(n, Heads * OutFeatures) + get_parameter("bias")!;
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor Message(Tensor target, Tensor source, EdgeContext edges)
    {
        var scores = (source * get_parameter("attentionSource")!).sum(-1) + (target * get_parameter("attentionTarget")!).sum(-1);  // (edges, heads)
        var alpha = Scatter.Softmax(functional.leaky_relu(scores, 0.2), edges.Target, edges.NodeCount);
        return source * alpha.unsqueeze(-1);
    }
}
