using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>PMA_k(Z) = MAB(S, rFF(Z)): k learned seed vectors attend to the set; permutation invariant.</summary>
/// <remarks>Shapes: features (batch, size, features), mask (batch, size) bool → (batch, seeds, features).
/// Reference: Lee et al. 2019, "Set Transformer", eq. (11).</remarks>
/// <example><code>var pma = new PoolingByMultiheadAttention(64, seeds: 1);</code></example>
public sealed class PoolingByMultiheadAttention : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly int _width;   // for the declared types
    private readonly Parameter seedVectors;   // registered; forward reads it by name, since .to(dtype) replaces it
    private readonly Linear feedForward;
    private readonly MultiheadAttentionBlock block;

    /// <summary>Creates the pooling.</summary>
    /// <param name="features">features in and out.</param>
    /// <param name="seeds">k, the number of output vectors (≥ 1).</param>
    /// <param name="heads">attention heads.</param>
    /// <param name="layerNorm">layer norms inside the MAB.</param>
    public PoolingByMultiheadAttention(int features, int seeds = 1, int heads = 4, bool layerNorm = false)
        : base(nameof(PoolingByMultiheadAttention))
    {
        _width = features;
        if (seeds < 1) throw new ArgumentOutOfRangeException(nameof(seeds), seeds, "Expected ≥ 1.");
        Seeds = seeds;
        var init = empty(1, seeds, features);
        torch.nn.init.xavier_uniform_(init);
        seedVectors = new Parameter(init.DetachFromDisposeScope());
        feedForward = Linear(features, features);
        block = new MultiheadAttentionBlock(features, features, features, heads, layerNorm);
        RegisterComponents();
    }

    /// <summary>k, the number of output vectors.</summary>
    public int Seeds { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.SetFeatures(_width), PermutationType.SetMask() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new InvariantType(PermutationSymmetry.Instance, Seeds, _width) };

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        SetBatch.CheckMask(features, mask);
        using var scope = NewDisposeScope();
        var z = functional.relu(feedForward.forward(features));
        return block.forward(get_parameter("seedVectors")!.expand(features.shape[0], -1, -1), z, mask).MoveToOuterDisposeScope();
    }
}
