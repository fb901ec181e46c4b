using Noether.Runtime;
using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>The Set Transformer's multihead attention block MAB(X, Y) = LN(H + rFF(H)), H = LN(X + Multihead(X, Y, Y)),
/// with masked keys.</summary>
/// <remarks>
/// Equivariance: permuting the queries X permutes the output rows; permuting the keys Y (with their mask) leaves
/// the output unchanged. Masked keys get a score of −10³⁰ before the softmax (not −∞, so a query with no valid
/// key gets uniform weights instead of NaN).
/// Shapes: queries (batch, nq, queryFeatures), keys (batch, nk, keyFeatures), keyMask (batch, nk) bool or null
/// → (batch, nq, features).
/// Reference: Lee et al. 2019, "Set Transformer", section 3.1 (layer norm optional, as in their code).
/// </remarks>
/// <example><code>var mab = new MultiheadAttentionBlock(16, 16, 64, heads: 4);  var h = mab.forward(x, y, mask);</code></example>
public sealed class MultiheadAttentionBlock : Module<Tensor, Tensor, Tensor?, Tensor>, IEquivariant
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear feedForward;
    private readonly LayerNorm? norm0;
    private readonly LayerNorm? norm1;

    /// <summary>Creates the block.</summary>
    /// <param name="queryFeatures">features of X.</param>
    /// <param name="keyFeatures">features of Y.</param>
    /// <param name="features">output features; must be divisible by <paramref name="heads"/>.</param>
    /// <param name="heads">attention heads (≥ 1).</param>
    /// <param name="layerNorm">apply the two layer norms.</param>
    public MultiheadAttentionBlock(int queryFeatures, int keyFeatures, int features, int heads = 4, bool layerNorm = false)
        : base(nameof(MultiheadAttentionBlock))
    {
        if (heads < 1) throw new ArgumentOutOfRangeException(nameof(heads), heads, "Expected ≥ 1 head.");
        if (features < 1 || features % heads != 0)
            throw new ArgumentException($"Features ({features}) must be a positive multiple of the heads ({heads}).", nameof(features));
        Features = features;
        Heads = heads;
        query = Linear(queryFeatures, features);
        key = Linear(keyFeatures, features);
        value = Linear(keyFeatures, features);
        feedForward = Linear(features, features);
        if (layerNorm)
        {
            norm0 = LayerNorm(features);
            norm1 = LayerNorm(features);
        }
        RegisterComponents();
    }

    /// <summary>Output features.</summary>
    public int Features { get; }

    /// <summary>The declared types: queries, keys and key mask of sets (one permutation of the elements acts on all
    /// three); the output rows permute with the queries.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[]
        { PermutationType.SetFeatures((int)query.in_features), PermutationType.SetFeatures((int)key.in_features), PermutationType.SetMask() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { PermutationType.SetFeatures(Features) };

    /// <summary>Attention heads.</summary>
    public int Heads { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor queries, Tensor keys, Tensor? keyMask)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        if (queries.dim() != 3 || keys.dim() != 3 || queries.shape[0] != keys.shape[0])
            throw new ArgumentException(
                $"Expected queries (batch, nq, f) and keys (batch, nk, f); got [{string.Join(", ", queries.shape)}] and [{string.Join(", ", keys.shape)}].",
                nameof(keys));
        if (keyMask is not null) SetBatch.CheckMask(keys, keyMask);
        using var scope = NewDisposeScope();
        long b = queries.shape[0], nq = queries.shape[1], nk = keys.shape[1], d = Features / Heads;
        var q = query.forward(queries);
        var k = key.forward(keys).view(b, nk, Heads, d).transpose(1, 2);        // (b, h, nk, d)
        var v = value.forward(keys).view(b, nk, Heads, d).transpose(1, 2);
        var qh = q.view(b, nq, Heads, d).transpose(1, 2);                        // (b, h, nq, d)
        var scores = qh.MatMulChecked(k.transpose(2, 3)) / Math.Sqrt(Features);        // (b, h, nq, nk); √dim as in the paper's code
        if (keyMask is not null)
            scores = scores.masked_fill(keyMask.logical_not().view(b, 1, 1, nk), -1e30);
        var attended = scores.softmax(-1).MatMulChecked(v).transpose(1, 2).reshape(b, nq, Features);
        var h = q + attended;
        if (norm0 is not null) h = norm0.forward(h);
        var o = h + functional.relu(feedForward.forward(h));
        if (norm1 is not null) o = norm1.forward(o);
        return o.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"MultiheadAttentionBlock({Features}, heads {Heads})";
}
