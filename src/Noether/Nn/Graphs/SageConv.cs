using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>GraphSAGE layer with mean aggregation: x_i' = W₁ x_i + W₂ mean_{j ∈ N(i)} x_j + b.</summary>
/// <remarks>Equivariance: node permutations. Shapes: (nodes, inFeatures), (2, edges) → (nodes, outFeatures).
/// Reference: Hamilton et al. 2017, "Inductive Representation Learning on Large Graphs", algorithm 1.</remarks>
/// <example><code>var sage = new SageConv(16, 32);</code></example>
public sealed class SageConv : MessagePassing, IEquivariant
{
    private readonly int _outFeatures;   // for the declared types
    private readonly Linear self;
    private readonly Linear neighbours;

    /// <summary>Creates the layer.</summary>
    public SageConv(int inFeatures, int outFeatures, Aggregation aggregation = Aggregation.Mean) : base(nameof(SageConv), aggregation)
    {
        _outFeatures = outFeatures;
        InFeatures = inFeatures;
        self = Linear(inFeatures, outFeatures);
        neighbours = Linear(inFeatures, outFeatures, hasBias: false);
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
    protected override Tensor Update(Tensor aggregated, Tensor nodes) => self.forward(nodes) + neighbours.forward(aggregated);
}
