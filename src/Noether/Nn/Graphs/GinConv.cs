using Noether.Equivariance;
using Noether.Nn.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>Graph isomorphism network layer: x_i' = MLP((1 + ε) x_i + Σ_{j ∈ N(i)} x_j), ε learned.</summary>
/// <remarks>Equivariance: node permutations. As powerful as the 1-WL test with injective MLPs.
/// Shapes: (nodes, inFeatures), (2, edges) → (nodes, outFeatures).
/// Reference: Xu et al. 2019, "How Powerful are Graph Neural Networks?", eq. (4.1).</remarks>
/// <example><code>var gin = new GinConv(16, 32);</code></example>
public sealed class GinConv : MessagePassing, IEquivariant
{
    private readonly int _outFeatures;   // for the declared types
    private readonly ElementwiseMlp mlp;
    private readonly Parameter epsilon;   // registered; read by name, since .to(dtype) replaces it

    /// <summary>Creates the layer; the MLP has one hidden layer of width <paramref name="outFeatures"/>.</summary>
    public GinConv(int inFeatures, int outFeatures) : base(nameof(GinConv), Aggregation.Sum)
    {
        _outFeatures = outFeatures;
        InFeatures = inFeatures;
        mlp = new ElementwiseMlp(inFeatures, new[] { outFeatures }, outFeatures);
        epsilon = new Parameter(zeros(1).DetachFromDisposeScope());
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
        return Propagate(nodes, edgeIndex);
    }

    /// <inheritdoc />
    protected override Tensor Message(Tensor target, Tensor source, EdgeContext edges) => source.alias();

    /// <inheritdoc />
    protected override Tensor Update(Tensor aggregated, Tensor self) =>
        mlp.forward((1 + get_parameter("epsilon")!) * self + aggregated);
}
