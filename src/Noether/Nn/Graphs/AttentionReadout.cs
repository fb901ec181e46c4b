using Noether.Equivariance;
using Noether.Nn.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>Global attention readout: r_g = Σ_{i ∈ g} softmax_{i ∈ g}(gate(x_i)) · f(x_i); invariant to node permutations.</summary>
/// <remarks>Shapes: nodes (nodes, features), membership (nodes,) → (graphs, outFeatures).
/// Reference: Li et al. 2016, "Gated Graph Sequence Neural Networks", eq. (7) (softmax gate as in PyG's AttentionalAggregation).</remarks>
/// <example><code>var readout = new AttentionReadout(32, 32);  var r = readout.forward(h, batch.Membership, batch.GraphCount);</code></example>
public sealed class AttentionReadout : Module<Tensor, Tensor, long, Tensor>, IEquivariant
{
    private readonly Linear gate;
    private readonly Linear transform;

    /// <summary>Creates the readout.</summary>
    public AttentionReadout(int inFeatures, int outFeatures) : base(nameof(AttentionReadout))
    {
        gate = Linear(inFeatures, 1);
        transform = Linear(inFeatures, outFeatures);
        RegisterComponents();
    }

    /// <summary>The declared types, for one graph: node features (nodes, in) permuted; the readout (1, out) invariant.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.NodeFeatures((int)gate.in_features) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new InvariantType(PermutationSymmetry.Instance, 1, transform.out_features) };

    /// <summary>Reads out one graph of the given node features.</summary>
    IReadOnlyList<Tensor> IEquivariant.Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 1) throw new ArgumentException($"Expected 1 tensor (node features); got {inputs.Count}.", nameof(inputs));
        using var membership = zeros(inputs[0].shape[0], ScalarType.Int64, inputs[0].device);
        return new[] { forward(inputs[0], membership, 1) };
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor nodes, Tensor membership, long graphCount)
    {
        using var scope = NewDisposeScope();
        var weights = Scatter.Softmax(gate.forward(nodes), membership, graphCount);
        return Scatter.Sum(weights * transform.forward(nodes), membership, graphCount).MoveToOuterDisposeScope();
    }
}
