using Noether.Equivariance;
using Noether.Nn.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>Graph convolution: x_i' = Σ_{j ∈ N(i) ∪ {i}} (deg_i deg_j)^{-1/2} W x_j + b, with self-loops and
/// symmetric degree normalisation (deg counts the self-loop).</summary>
/// <remarks>Equivariance: node permutations. Shapes: (nodes, inFeatures), (2, edges) → (nodes, outFeatures).
/// Reference: Kipf and Welling 2017, "Semi-Supervised Classification with Graph Convolutional Networks", eq. (2).</remarks>
/// <example><code>var gcn = new GcnConv(16, 32);  var h = gcn.forward(x, edgeIndex);</code></example>
public sealed class GcnConv : MessagePassing, IEquivariant
{
    private readonly int _outFeatures;   // for the declared types
    private readonly Linear linear;
    private readonly Parameter bias;   // added after aggregation, not inside the messages; read by name

    /// <summary>Creates the layer.</summary>
    public GcnConv(int inFeatures, int outFeatures) : base(nameof(GcnConv), Aggregation.Sum)
    {
        _outFeatures = outFeatures;
        InFeatures = inFeatures;
        linear = Linear(inFeatures, outFeatures, hasBias: false);
        bias = new Parameter(zeros(outFeatures).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <summary>Input features per node.</summary>
    public int InFeatures { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.NodeFeatures(InFeatures), new EdgeIndexType() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { PermutationType.NodeFeatures(_outFeatures) };

    /// <inheritdoc />
    public override Tensor forward(Tensor nodes, Tensor edgeIndex)
    {
        CheckNodes(nodes, InFeatures);
        GraphBatch.CheckEdgeIndex(edgeIndex, nodes.shape[0]);
        using var scope = NewDisposeScope();
        long n = nodes.shape[0];
        var loops = arange(n, ScalarType.Int64, nodes.device).unsqueeze(0).expand(2, n);
        var withLoops = cat(new[] { edgeIndex, loops }, 1);
        var degree = Scatter.Counts(withLoops[1], n, nodes.dtype);
        var scale = degree.rsqrt();
        var norm = (scale.index_select(0, withLoops[0]) * scale.index_select(0, withLoops[1])).unsqueeze(1);
        return (Propagate(linear.forward(nodes), withLoops, norm) + get_parameter("bias")!).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor Message(Tensor target, Tensor source, EdgeContext edges) => source * edges.EdgeFeatures!;
}
