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
public sealed class AttentionReadout : Module<Tensor, Tensor, long, Tensor>
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

    /// <inheritdoc />
    public override Tensor forward(Tensor nodes, Tensor membership, long graphCount)
    {
        using var scope = NewDisposeScope();
        var weights = Scatter.Softmax(gate.forward(nodes), membership, graphCount);
        return Scatter.Sum(weights * transform.forward(nodes), membership, graphCount).MoveToOuterDisposeScope();
    }
}
