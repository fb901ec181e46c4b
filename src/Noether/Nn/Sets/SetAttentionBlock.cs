using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>SAB(X) = MAB(X, X): self-attention among a set's elements; permutation equivariant, O(n²).</summary>
/// <remarks>Shapes: features (batch, size, inputs), mask (batch, size) bool → (batch, size, features), zero at padding.
/// Reference: Lee et al. 2019, "Set Transformer", eq. (8).</remarks>
/// <example><code>var sab = new SetAttentionBlock(2, 64, heads: 4);</code></example>
public sealed class SetAttentionBlock : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly (int In, int Out) _width;   // for the declared types
    private readonly MultiheadAttentionBlock block;

    /// <summary>Creates the block.</summary>
    public SetAttentionBlock(int inputs, int features, int heads = 4, bool layerNorm = false) : base(nameof(SetAttentionBlock))
    {
        _width = (inputs, features);
        block = new MultiheadAttentionBlock(inputs, inputs, features, heads, layerNorm);
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.SetFeatures(_width.In), PermutationType.SetMask() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { PermutationType.SetFeatures(_width.Out) };

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        SetBatch.CheckMask(features, mask);
        using var scope = NewDisposeScope();
        return block.forward(features, features, mask).masked_fill(mask.unsqueeze(2).logical_not(), 0).MoveToOuterDisposeScope();
    }
}
