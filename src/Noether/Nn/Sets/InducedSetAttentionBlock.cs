using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>ISAB(X) = MAB(X, H), H = MAB(I, X): attention through m learned inducing points I, permutation
/// equivariant in O(n·m) instead of O(n²).</summary>
/// <remarks>Shapes: features (batch, size, inputs), mask (batch, size) bool → (batch, size, features), zero at padding.
/// Reference: Lee et al. 2019, "Set Transformer", eq. (9)–(10).</remarks>
/// <example><code>var isab = new InducedSetAttentionBlock(2, 64, inducingPoints: 16);</code></example>
public sealed class InducedSetAttentionBlock : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly (int In, int Out) _width;   // for the declared types
    private readonly Parameter inducing;   // registered; forward reads it by name, since .to(dtype) replaces it
    private readonly MultiheadAttentionBlock summarize;
    private readonly MultiheadAttentionBlock broadcast;

    /// <summary>Creates the block.</summary>
    /// <param name="inputs">features per element.</param>
    /// <param name="features">output features.</param>
    /// <param name="inducingPoints">m, the number of inducing points (≥ 1).</param>
    /// <param name="heads">attention heads.</param>
    /// <param name="layerNorm">layer norms inside the two MABs.</param>
    public InducedSetAttentionBlock(int inputs, int features, int inducingPoints = 16, int heads = 4, bool layerNorm = false)
        : base(nameof(InducedSetAttentionBlock))
    {
        _width = (inputs, features);
        if (inducingPoints < 1) throw new ArgumentOutOfRangeException(nameof(inducingPoints), inducingPoints, "Expected ≥ 1.");
        var init = empty(1, inducingPoints, features);
        torch.nn.init.xavier_uniform_(init);
        inducing = new Parameter(init.DetachFromDisposeScope());
        summarize = new MultiheadAttentionBlock(features, inputs, features, heads, layerNorm);
        broadcast = new MultiheadAttentionBlock(inputs, features, features, heads, layerNorm);
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
        var points = get_parameter("inducing")!.expand(features.shape[0], -1, -1);
        var h = summarize.forward(points, features, mask);
        return broadcast.forward(features, h, null).masked_fill(mask.unsqueeze(2).logical_not(), 0).MoveToOuterDisposeScope();
    }
}
