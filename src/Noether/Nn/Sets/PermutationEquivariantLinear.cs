using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>The permutation-equivariant linear layer of DeepSets: y_i = Λ x_i + Γ pool_j(x_j) + b.</summary>
/// <remarks>
/// Equivariance: S_n acting on the set axis. With sum pooling this is the general equivariant linear map
/// ℝ^{n×c} → ℝ^{n×c'}, (λI + γ11ᵀ) per channel pair; mean or max pooling keep the equivariance and make the
/// layer independent of the set size. Padding rows (mask false) neither contribute to the pool nor receive
/// output (they are zero).
/// Shapes: features (batch, size, inFeatures), mask (batch, size) bool → (batch, size, outFeatures).
/// Reference: Zaheer et al. 2017, "Deep Sets", eq. (4) and appendix.
/// </remarks>
/// <example><code>var layer = new PermutationEquivariantLinear(3, 16);  var y = layer.forward(x, mask);</code></example>
public sealed class PermutationEquivariantLinear : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly Linear lambda;
    private readonly Linear gamma;

    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">input channels (≥ 1).</param>
    /// <param name="outFeatures">output channels (≥ 1).</param>
    /// <param name="pooling">the pooling inside the 11ᵀ term.</param>
    public PermutationEquivariantLinear(int inFeatures, int outFeatures, SetPooling pooling = SetPooling.Mean)
        : base(nameof(PermutationEquivariantLinear))
    {
        if (inFeatures < 1) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "Expected ≥ 1.");
        if (outFeatures < 1) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "Expected ≥ 1.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Pooling = pooling;
        lambda = Linear(inFeatures, outFeatures);
        gamma = Linear(inFeatures, outFeatures, hasBias: false);
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public int InFeatures { get; }

    /// <summary>Output channels.</summary>
    public int OutFeatures { get; }

    /// <summary>The pooling of the 11ᵀ term.</summary>
    public SetPooling Pooling { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.SetFeatures(InFeatures), PermutationType.SetMask() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { PermutationType.SetFeatures(OutFeatures) };

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        SetBatch.CheckMask(features, mask);
        if (features.shape[2] != InFeatures)
            throw new ArgumentException($"Expected {InFeatures} features; got {features.shape[2]}.", nameof(features));
        using var scope = NewDisposeScope();
        var pooled = SetPool.Apply(features, mask, Pooling);
        var y = lambda.forward(features) + gamma.forward(pooled).unsqueeze(1);
        return y.masked_fill(mask.unsqueeze(2).logical_not(), 0).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"PermutationEquivariantLinear({InFeatures} -> {OutFeatures}, {Pooling})";
}
