using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>The Set Transformer: encoder of two SABs (or ISABs), decoder PMA_k → [SAB over the k seeds] → Linear;
/// permutation invariant.</summary>
/// <remarks>Shapes: features (batch, size, inputs), mask (batch, size) bool → (batch, seeds · outputs)
/// (the k pooled vectors, each decoded to <c>outputs</c> values, concatenated).
/// Reference: Lee et al. 2019, "Set Transformer", section 3.3.</remarks>
/// <example><code>var model = new SetTransformer(1, 64, 1, heads: 4);</code></example>
public sealed class SetTransformer : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly (int In, int Out) _width;   // for the declared types: inputs per element, outputs per set
    private readonly Module<Tensor, Tensor, Tensor> encoder0;
    private readonly Module<Tensor, Tensor, Tensor> encoder1;
    private readonly PoolingByMultiheadAttention pool;
    private readonly SetAttentionBlock? seedAttention;
    private readonly Linear decoder;

    /// <summary>Creates the model.</summary>
    /// <param name="inputs">features per element.</param>
    /// <param name="features">hidden width (a multiple of <paramref name="heads"/>).</param>
    /// <param name="outputs">outputs per seed.</param>
    /// <param name="heads">attention heads.</param>
    /// <param name="seeds">PMA seeds k.</param>
    /// <param name="inducingPoints">0 for SAB encoders, else ISABs with this many inducing points.</param>
    /// <param name="layerNorm">layer norms in every block.</param>
    /// <param name="seedAttention">a SAB among the k pooled vectors before the linear decoder (the paper's clustering
    /// decoder, so that the k outputs can tell each other apart, e.g. not describe the same cluster twice).</param>
    public SetTransformer(int inputs, int features, int outputs, int heads = 4, int seeds = 1, int inducingPoints = 0, bool layerNorm = false,
        bool seedAttention = false)
        : base(nameof(SetTransformer))
    {
        _width = (inputs, seeds * outputs);
        if (inducingPoints < 0) throw new ArgumentOutOfRangeException(nameof(inducingPoints), inducingPoints, "Expected ≥ 0.");
        encoder0 = inducingPoints == 0
            ? new SetAttentionBlock(inputs, features, heads, layerNorm)
            : new InducedSetAttentionBlock(inputs, features, inducingPoints, heads, layerNorm);
        encoder1 = inducingPoints == 0
            ? new SetAttentionBlock(features, features, heads, layerNorm)
            : new InducedSetAttentionBlock(features, features, inducingPoints, heads, layerNorm);
        pool = new PoolingByMultiheadAttention(features, seeds, heads, layerNorm);
        if (seedAttention) this.seedAttention = new SetAttentionBlock(features, features, heads, layerNorm);
        decoder = Linear(features, outputs);
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.SetFeatures(_width.In), PermutationType.SetMask() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new InvariantType(PermutationSymmetry.Instance, _width.Out) };

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        SetBatch.CheckMask(features, mask);
        using var scope = NewDisposeScope();
        var h = encoder1.forward(encoder0.forward(features, mask), mask);
        var pooled = pool.forward(h, mask);
        if (seedAttention is not null)
            pooled = seedAttention.forward(pooled, ones(pooled.shape[0], pooled.shape[1], dtype: ScalarType.Bool, device: pooled.device));
        return decoder.forward(pooled).reshape(features.shape[0], -1).MoveToOuterDisposeScope();
    }
}
